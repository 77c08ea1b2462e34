package io.pgsnow.sink.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.naming.Identifier;
import org.junit.jupiter.api.Test;

class DdlBuilderTest {
  private static final Identifier TABLE = Identifier.of("topic_payroll");
  private static final Identifier STAGE = Identifier.of("S1");

  @Test
  void officialTableStageAndPipe() {
    assertThat(DdlBuilder.createTable(TABLE))
        .startsWith(
            "CREATE TABLE IF NOT EXISTS TOPIC_PAYROLL (RECORD_METADATA VARIANT, RECORD_CONTENT"
                + " VARIANT)");
    assertThat(DdlBuilder.createStage(STAGE)).startsWith("CREATE STAGE IF NOT EXISTS S1");
    assertThat(DdlBuilder.createPipe(Identifier.of("P"), TABLE, STAGE))
        .isEqualTo(
            "CREATE PIPE IF NOT EXISTS P AS COPY INTO TOPIC_PAYROLL(RECORD_METADATA,"
                + " RECORD_CONTENT) FROM (SELECT $1:meta, $1:content FROM @S1 t) FILE_FORMAT ="
                + " (TYPE = 'JSON')");
  }

  @Test
  void quotedNamesCannotInject() {
    Identifier evil = Identifier.parse("\"x\"\"; DROP TABLE y; --\"");
    assertThat(DdlBuilder.createTable(evil))
        .startsWith("CREATE TABLE IF NOT EXISTS \"x\"\"; DROP TABLE y; --\" (");
  }

  @Test
  void pipeDefinitionsCompareIgnoringCaseAndSpacing() {
    String expected = DdlBuilder.copyInto(TABLE, STAGE);
    assertThat(
            DdlBuilder.sameDefinition(
                "copy into topic_payroll (record_metadata,record_content) from (select $1:meta,"
                    + " $1:content from @s1 t) file_format=(type='JSON')",
                expected))
        .isTrue();
    assertThat(DdlBuilder.sameDefinition("copy into other from @s1", expected)).isFalse();
  }
}
