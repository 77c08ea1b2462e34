package io.pgsnow.sink.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.sink.ddl.DdlBuilder.Column;
import io.pgsnow.sink.naming.Identifier;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class SchematizationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Identifier TABLE = Identifier.of("orders");
  private static final Identifier STAGE = Identifier.of("S1");

  @Test
  void aFieldNoColumnCanBeNamedAfterIsBadDataOfItsRecord() {
    assertThatThrownBy(() -> TableColumns.needed(Map.of("", "NUMBER")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("1 to 255 characters (0 here)");
    assertThatThrownBy(() -> TableColumns.columnName("x".repeat(256)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("(256 here)");
    assertThat(TableColumns.columnName("y".repeat(255)).name()).hasSize(255);
  }

  @Test
  void connectSchemasMapToSnowflakeTypes() {
    assertThat(ColumnTypes.of(Schema.INT8_SCHEMA)).isEqualTo("NUMBER");
    assertThat(ColumnTypes.of(Schema.INT16_SCHEMA)).isEqualTo("NUMBER");
    assertThat(ColumnTypes.of(Schema.INT32_SCHEMA)).isEqualTo("NUMBER");
    assertThat(ColumnTypes.of(Schema.OPTIONAL_INT64_SCHEMA)).isEqualTo("NUMBER");
    assertThat(ColumnTypes.of(Schema.FLOAT32_SCHEMA)).isEqualTo("FLOAT");
    assertThat(ColumnTypes.of(Schema.FLOAT64_SCHEMA)).isEqualTo("DOUBLE");
    assertThat(ColumnTypes.of(Schema.BOOLEAN_SCHEMA)).isEqualTo("BOOLEAN");
    assertThat(ColumnTypes.of(Schema.STRING_SCHEMA)).isEqualTo("VARCHAR");
    assertThat(ColumnTypes.of(Schema.BYTES_SCHEMA)).isEqualTo("BINARY");
    assertThat(ColumnTypes.of(Decimal.schema(2))).isEqualTo("NUMBER(38,2)");
    assertThat(ColumnTypes.of(Date.SCHEMA)).isEqualTo("DATE");
    assertThat(ColumnTypes.of(Time.SCHEMA)).isEqualTo("TIME");
    assertThat(ColumnTypes.of(Timestamp.SCHEMA)).isEqualTo("TIMESTAMP_NTZ");
    assertThat(ColumnTypes.of(SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build()))
        .isEqualTo("VARIANT");
    assertThat(ColumnTypes.of(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build()))
        .isEqualTo("OBJECT");
    assertThat(ColumnTypes.of(SchemaBuilder.array(Schema.STRING_SCHEMA).build()))
        .isEqualTo("ARRAY");
    assertThat(ColumnTypes.of((Schema) null)).isEqualTo("VARIANT");
  }

  @Test
  void schemalessValuesAreInferredFromJson() throws Exception {
    var doc =
        JSON.readTree(
            "{\"i\":1,\"big\":12345678901234567890,\"d\":1.5,\"b\":true,\"s\":\"x\","
                + "\"a\":[1],\"o\":{\"k\":1},\"n\":null}");
    assertThat(TableColumns.needed(null, doc))
        .extracting(Column::toString)
        .containsExactly(
            "I NUMBER",
            "BIG NUMBER",
            "D DOUBLE",
            "B BOOLEAN",
            "S VARCHAR",
            "A ARRAY",
            "O OBJECT",
            "N VARIANT");
  }

  @Test
  void structFieldsBecomeColumnsNamedBySnowflakeRules() throws Exception {
    Schema schema =
        SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("Amount", Decimal.schema(2))
            .field("first name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ID", Schema.STRING_SCHEMA)
            .build();
    List<Column> needed = TableColumns.needed(schema, JSON.readTree("{\"id\":1}"));
    assertThat(needed)
        .extracting(Column::toString)
        .containsExactly("ID NUMBER", "AMOUNT NUMBER(38,2)", "\"first name\" VARCHAR");
    assertThat(TableColumns.needed(Schema.STRING_SCHEMA, JSON.readTree("\"text\""))).isEmpty();
    assertThat(
            TableColumns.needed(
                SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
                JSON.readTree("{\"k\":\"1\"}")))
        .extracting(Column::toString)
        .containsExactly("K NUMBER");
    assertThat(TableColumns.isReserved("record_metadata")).isTrue();
    assertThat(TableColumns.isReserved("record_content")).isFalse();
  }

  @Test
  void missingColumnsCompareCaseInsensitively() {
    TableColumns table = new TableColumns();
    table.known(List.of("RECORD_METADATA", "ID", "first name"));
    Column id = new Column(Identifier.of("id"), "NUMBER");
    Column quoted = new Column(new Identifier("First Name", true), "VARCHAR");
    Column note = new Column(Identifier.of("note"), "VARCHAR");
    assertThat(table.missing(List.of(id, quoted, note))).containsExactly(note);
    table.added(List.of(note));
    assertThat(table.missing(List.of(id, note))).isEmpty();
  }

  @Test
  void schematizedTableColumnAndPipeStatements() {
    assertThat(DdlBuilder.createTypedTable(TABLE, List.of()))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS ORDERS (RECORD_METADATA VARIANT)"
                + " ENABLE_SCHEMA_EVOLUTION = TRUE");
    assertThat(
            DdlBuilder.addColumn(TABLE, new Column(new Identifier("first name", true), "VARCHAR")))
        .isEqualTo("ALTER TABLE ORDERS ADD COLUMN IF NOT EXISTS \"first name\" VARCHAR");
    assertThat(DdlBuilder.createSchematizedPipe(Identifier.of("P"), TABLE, STAGE))
        .isEqualTo(
            "CREATE PIPE IF NOT EXISTS P AS COPY INTO ORDERS FROM @S1 FILE_FORMAT = (TYPE ="
                + " 'JSON') MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE");
  }
}
