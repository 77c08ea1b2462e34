package io.pgsnow.sink.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.sink.model.ModelSettings.CurrentState;
import io.pgsnow.sink.naming.Identifier;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The generated model DDL, checked against golden files in {@code src/test/resources/models}
 * (rewrite them with {@code PGSNOW_WRITE_GOLDEN=true} after an intended change, and review the
 * diff).
 */
class ModelSqlTest {

  private static final Path GOLDEN = Path.of("src", "test", "resources", "models");
  private static final ModelSettings DYNAMIC =
      new ModelSettings(
          true, CurrentState.DYNAMIC_TABLE, "1 minute", Optional.of(Identifier.of("wh")));
  private static final ModelSettings VIEW =
      new ModelSettings(true, CurrentState.VIEW, "1 minute", Optional.empty());

  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("commit_lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("event_index", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  static Schema envelope(Schema row) {
    return SchemaBuilder.struct()
        .name("test.Envelope")
        .field("before", row)
        .field("after", row)
        .field("source", SOURCE)
        .field("op", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
  }

  static Schema typesRow() {
    return SchemaBuilder.struct()
        .name("test.Value")
        .optional()
        .field("id", Schema.INT64_SCHEMA)
        .field("small", Schema.OPTIONAL_INT16_SCHEMA)
        .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional())
        .field(
            "anything",
            SchemaBuilder.struct()
                .name("io.debezium.data.VariableScaleDecimal")
                .field("scale", Schema.INT32_SCHEMA)
                .field("value", Schema.BYTES_SCHEMA)
                .optional()
                .build())
        .field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA)
        .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("data", Schema.OPTIONAL_BYTES_SCHEMA)
        .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
        .field("at", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
        .field(
            "seen",
            SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
        .field(
            "seen_tz",
            SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
        .field("doc", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
        .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
        .field(
            "address",
            SchemaBuilder.struct()
                .field("street", Schema.OPTIONAL_STRING_SCHEMA)
                .field("geo", SchemaBuilder.struct().field("lat", Schema.FLOAT64_SCHEMA).build())
                .optional()
                .build())
        .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional())
        .build();
  }

  private static SinkRecord record(Schema keySchema, Object key, Schema schema, Object value) {
    return new SinkRecord("t", 0, keySchema, key, schema, value, 0);
  }

  private static Struct change(Schema envelope, String op) {
    return new Struct(envelope)
        .put("op", op)
        .put("source", new Struct(SOURCE).put("commit_lsn", 1L).put("event_index", 0L));
  }

  private static ModelShape shape(SinkRecord record, boolean schematized) {
    return ShapeReader.read(record, schematized).orElseThrow();
  }

  private static void assertGolden(String name, String sql) throws IOException {
    Path file = GOLDEN.resolve(name + ".sql");
    String text = sql.replace(" FROM (", "\n  FROM (").replace(" QUALIFY ", "\n  QUALIFY ") + "\n";
    if ("true".equals(System.getenv("PGSNOW_WRITE_GOLDEN"))) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
    assertThat(text).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void decimalsTemporalTypesStructsAndArraysOfAnEnvelope() throws IOException {
    Schema envelope = envelope(typesRow());
    Schema key = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    ModelShape shape =
        shape(record(key, new Struct(key).put("id", 1L), envelope, change(envelope, "c")), false);
    Identifier table = Identifier.of("ALL_TYPES");
    assertGolden("envelope-types-view", ModelSql.view(table, shape));
    assertGolden("envelope-types-current", ModelSql.current(table, shape, DYNAMIC));
  }

  @Test
  void quotedAndMixedCaseIdentifiersWithACompositeKey() throws IOException {
    Schema row =
        SchemaBuilder.struct()
            .optional()
            .field("Order Id", Schema.INT32_SCHEMA)
            .field("line", Schema.INT32_SCHEMA)
            .field("Mixed", Schema.OPTIONAL_STRING_SCHEMA)
            .field("select", Schema.OPTIONAL_STRING_SCHEMA)
            .field("it's \"quoted\"", Schema.OPTIONAL_STRING_SCHEMA)
            .field("back\\slash", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    Schema envelope = envelope(row);
    Schema key =
        SchemaBuilder.struct()
            .field("Order Id", Schema.INT32_SCHEMA)
            .field("line", Schema.INT32_SCHEMA)
            .build();
    Struct k = new Struct(key).put("Order Id", 1).put("line", 2);
    ModelShape shape = shape(record(key, k, envelope, change(envelope, "u")), false);
    Identifier table = Identifier.parse("\"Order \"\"Lines\"\"\"");
    assertThat(ModelSql.currentName(table).sql()).isEqualTo("\"Order \"\"Lines\"\"_CURRENT\"");
    assertGolden("quoted-view", ModelSql.view(table, shape));
    assertGolden("quoted-current", ModelSql.current(table, shape, VIEW));
  }

  @Test
  void schemalessEnvelopeIsTypedFromItsValues() throws IOException {
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("employee_id", 7L);
    after.put("salary", 1234.5);
    after.put("first_name", "Ada");
    after.put("active", true);
    after.put("manager", null);
    after.put("skills", List.of("sql"));
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("before", null);
    value.put("after", after);
    value.put("source", Map.of("commit_lsn", 1L, "event_index", 0L));
    value.put("op", "c");
    ModelShape shape = shape(record(null, Map.of("employee_id", 7L), null, value), false);
    Identifier table = Identifier.of("TOPIC_PAYROLL");
    assertGolden("schemaless-view", ModelSql.view(table, shape));
    assertGolden("schemaless-current", ModelSql.current(table, shape, DYNAMIC));
  }

  @Test
  void unwrappedRowsInASchematizedTable() throws IOException {
    Schema row =
        SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("price", Decimal.builder(3).optional().build())
            .field("photo", Schema.OPTIONAL_BYTES_SCHEMA)
            .field(
                "updated",
                SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("__op", Schema.OPTIONAL_STRING_SCHEMA)
            .field("__commit_lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("__event_index", Schema.OPTIONAL_INT64_SCHEMA)
            .field("__deleted", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct value =
        new Struct(row)
            .put("id", 1)
            .put("price", new BigDecimal("1.500"))
            .put("__op", "c")
            .put("__commit_lsn", 5L)
            .put("__event_index", 0L)
            .put("__deleted", "false");
    ModelShape shape = shape(record(Schema.INT32_SCHEMA, 1, row, value), true);
    assertThat(shape.columns())
        .extracting(ModelColumn::field)
        .containsExactly("id", "price", "photo", "updated");
    Identifier table = Identifier.of("PRODUCTS");
    assertGolden("unwrapped-schematized-view", ModelSql.view(table, shape));
    assertGolden("unwrapped-schematized-current", ModelSql.current(table, shape, DYNAMIC));
  }

  @Test
  void unwrappedRowsWithoutPositionsGiveNoCurrentStateButSayWhatToAdd() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("id", 1L);
    value.put("__op", "c");
    ModelShape shape = shape(record(null, Map.of("id", 1L), null, value), false);
    assertThat(shape.layout().supportsCurrentState()).isFalse();
    assertThatThrownBy(() -> ModelSql.current(Identifier.of("T"), shape, VIEW))
        .isInstanceOf(IllegalStateException.class);
    assertThat(UnwrapCheck.runtimeProblem("T", shape.layout()))
        .contains("add.fields=op,commit_lsn,event_index")
        .contains("delete.tombstone.handling.mode=rewrite");
    assertThat(ModelSql.view(Identifier.of("T"), shape))
        .contains("RECORD_CONTENT:\"id\"::NUMBER(38,0) AS ID")
        .doesNotContain("_COMMIT_LSN");
  }

  @Test
  void theSinksUnwrapTransformIsCheckedForWhatTheCurrentStateNeeds() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("transforms", "unwrap");
    config.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    config.put("transforms.unwrap.add.fields", "op,table");
    assertThat(UnwrapCheck.problems(config))
        .singleElement()
        .asString()
        .contains("transforms.unwrap.add.fields to include commit_lsn,event_index")
        .contains("transforms.unwrap.delete.tombstone.handling.mode=rewrite");
    config.put("transforms.unwrap.add.fields", "op,commit_lsn,event_index");
    config.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
    assertThat(UnwrapCheck.problems(config)).isEmpty();
  }

  @Test
  void aShapeGainingAColumnKeepsTheOldOnes() {
    Schema one = SchemaBuilder.struct().optional().field("a", Schema.INT32_SCHEMA).build();
    Schema two =
        SchemaBuilder.struct()
            .optional()
            .field("b", Schema.OPTIONAL_STRING_SCHEMA)
            .field("a", Schema.INT32_SCHEMA)
            .build();
    Schema e1 = envelope(one);
    Schema e2 = envelope(two);
    ModelShape first = shape(record(null, 1, e1, change(e1, "c")), false);
    ModelShape second = shape(record(null, 1, e2, change(e2, "c")), false);
    assertThat(first.lacksColumnsOf(second)).isTrue();
    assertThat(second.lacksColumnsOf(first)).isFalse();
    assertThat(first.merge(second).columns())
        .extracting(ModelColumn::field)
        .containsExactly("a", "b");
  }
}
