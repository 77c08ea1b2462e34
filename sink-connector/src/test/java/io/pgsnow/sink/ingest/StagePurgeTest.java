package io.pgsnow.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.naming.Identifier;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StagePurgeTest {

  @Test
  void removeStatementNamesExactlyTheLoadedFiles() {
    String sql =
        StagePurge.removeStatement(
            Identifier.of("MY_STAGE"),
            "CONN/T/0",
            List.of("0_4_0a1b2c3d.json.gz", "5_9_0a1b2c3d.json.gz"));
    assertThat(sql)
        .isEqualTo(
            "REMOVE @MY_STAGE/CONN/T/0/ PATTERN ="
                + " '.*/(0_4_0a1b2c3d\\\\.json\\\\.gz|5_9_0a1b2c3d\\\\.json\\\\.gz)'");
    // The regex Snowflake reads from that literal (backslash escapes undone).
    String literal =
        sql.substring(sql.indexOf('\'') + 1, sql.lastIndexOf('\'')).replace("\\\\", "\\");
    Pattern pattern = Pattern.compile(literal);
    assertThat(pattern.matcher("my_stage/CONN/T/0/0_4_0a1b2c3d.json.gz").matches()).isTrue();
    assertThat(pattern.matcher("my_stage/CONN/T/0/10_14_0a1b2c3d.json.gz").matches()).isFalse();
    assertThat(pattern.matcher("my_stage/CONN/T/0/0_4_0a1b2c3dXjson.gz").matches()).isFalse();
  }
}
