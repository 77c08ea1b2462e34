package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.smt.ConcatTemplate.NullHandling;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcatFieldsTest {
  private static final Schema NAME =
      SchemaBuilder.struct()
          .name("Employee")
          .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("rate", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .build();

  private ConcatFields<SinkRecord> concat = new ConcatFields.Value<>();

  @AfterEach
  void close() {
    concat.close();
  }

  private void configure(String parts, String nulls) {
    concat.configure(
        Map.of(
            ConcatFieldsConfig.FIELD,
            "FULL_NAME",
            ConcatFieldsConfig.PARTS,
            parts,
            ConcatFieldsConfig.NULL_HANDLING,
            nulls));
  }

  private static SinkRecord struct(String first, String last) {
    Struct value = new Struct(NAME).put("first_name", first).put("last_name", last);
    return new SinkRecord("t", 0, null, null, NAME, value, 0);
  }

  private static SinkRecord map(String first, String last) {
    Map<String, Object> value = new HashMap<>();
    value.put("first_name", first);
    value.put("last_name", last);
    return new SinkRecord("t", 0, null, null, null, value, 0);
  }

  private String fullName(SinkRecord record) {
    Object value = concat.apply(record).value();
    return value instanceof Struct s
        ? s.getString("FULL_NAME")
        : (String) ((Map<Object, Object>) value).get("FULL_NAME");
  }

  @Test
  void joinsFieldsAndLiteralsOnStructsAndMaps() {
    configure("first_name, ' ', last_name", "skip-nulls");
    assertThat(fullName(struct("Sheridan", "Lezemere"))).isEqualTo("Sheridan Lezemere");
    assertThat(fullName(map("Sheridan", "Lezemere"))).isEqualTo("Sheridan Lezemere");
    SinkRecord out = concat.apply(struct("a", "b"));
    assertThat(out.valueSchema().field("FULL_NAME").schema())
        .isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    assertThat(out.valueSchema().fields()).hasSize(4);
  }

  @Test
  void skipNullsDropsTheSeparatorWithTheNull() {
    configure("first_name, ' ', last_name", "skip-nulls");
    assertThat(fullName(struct("Sheridan", null))).isEqualTo("Sheridan");
    assertThat(fullName(struct(null, "Lezemere"))).isEqualTo("Lezemere");
    assertThat(fullName(struct(null, null))).isNull();
    assertThat(fullName(map(null, "Lezemere"))).isEqualTo("Lezemere");
  }

  @Test
  void nullIfAnyNull() {
    configure("first_name, ' ', last_name", "null-if-any-null");
    assertThat(fullName(struct("Sheridan", null))).isNull();
    assertThat(fullName(map(null, "x"))).isNull();
    assertThat(fullName(struct("a", "b"))).isEqualTo("a b");
  }

  @Test
  void emptyStringKeepsLiterals() {
    configure("first_name, ' ', last_name", "empty-string");
    assertThat(fullName(struct(null, "foo"))).isEqualTo(" foo");
    assertThat(fullName(map("foo", null))).isEqualTo("foo ");
    // Never ksqlDB's "nullfoo".
    assertThat(fullName(struct(null, "foo"))).doesNotContain("null");
  }

  @Test
  void literalsWithQuotesCommasAndLeadingText() {
    configure("'Dr. ', last_name, ', ', first_name, ' (''x'')'", "skip-nulls");
    assertThat(fullName(struct("Ann", "O'Brien"))).isEqualTo("Dr. O'Brien, Ann ('x')");
    assertThat(fullName(struct(null, "Lee"))).isEqualTo("Dr. Lee ('x')");
  }

  @Test
  void writesNumbersAsPlainText() {
    ConcatTemplate template = ConcatTemplate.parse("a, '/', b");
    Map<String, Object> values = Map.of("a", new BigDecimal("1E+3"), "b", 2.5);
    assertThat(template.render(p -> p.get(values), NullHandling.SKIP_NULLS)).isEqualTo("1000/2.5");
  }

  @Test
  void replacesAnExistingFieldInPlace() {
    concat.configure(
        Map.of(ConcatFieldsConfig.FIELD, "last_name", ConcatFieldsConfig.PARTS, "last_name, '!'"));
    SinkRecord out = concat.apply(struct("a", "b"));
    assertThat(out.valueSchema().fields()).hasSize(3);
    assertThat(out.valueSchema().field("last_name").index()).isEqualTo(1);
    assertThat(((Struct) out.value()).getString("last_name")).isEqualTo("b!");
  }

  @Test
  void readsNestedFieldPaths() {
    concat.configure(
        Map.of(ConcatFieldsConfig.FIELD, "x", ConcatFieldsConfig.PARTS, "a.b, '-', a.c"));
    SinkRecord record =
        new SinkRecord("t", 0, null, null, null, Map.of("a", Map.of("b", 1, "c", "z")), 0);
    assertThat(((Map<Object, Object>) concat.apply(record).value()).get("x")).isEqualTo("1-z");
  }

  @Test
  void passesTombstonesAndRejectsPrimitivesAndUnknownFields() {
    configure("first_name, ' ', last_name", "skip-nulls");
    SinkRecord tombstone = new SinkRecord("t", 0, null, null, NAME, null, 0);
    assertThat(concat.apply(tombstone)).isSameAs(tombstone);
    assertThatThrownBy(
            () -> concat.apply(new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "x", 0)))
        .isInstanceOf(DataException.class);
    concat.configure(Map.of(ConcatFieldsConfig.FIELD, "x", ConcatFieldsConfig.PARTS, "nope"));
    assertThatThrownBy(() -> concat.apply(struct("a", "b"))).isInstanceOf(DataException.class);
  }

  @Test
  void cachesDerivedSchemas() {
    configure("first_name, ' ', last_name", "skip-nulls");
    Schema first = concat.apply(struct("a", "b")).valueSchema();
    assertThat(concat.apply(struct("c", "d")).valueSchema()).isSameAs(first);
    Schema other =
        SchemaBuilder.struct()
            .field("first_name", Schema.STRING_SCHEMA)
            .field("last_name", Schema.STRING_SCHEMA)
            .build();
    concat.apply(
        new SinkRecord(
            "t",
            0,
            null,
            null,
            other,
            new Struct(other).put("first_name", "x").put("last_name", "y"),
            0));
    assertThat(concat.cachedSchemas()).isEqualTo(2);
  }

  @Test
  void rejectsMalformedTemplates() {
    for (String bad : new String[] {"' '", "a, 'unterminated", "a,,b", ""}) {
      assertThatThrownBy(
              () ->
                  new ConcatFieldsConfig(
                      Map.of(ConcatFieldsConfig.FIELD, "x", ConcatFieldsConfig.PARTS, bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class);
    }
  }

  @Test
  void keyVariantComputesAKeyField() {
    concat = new ConcatFields.Key<>();
    concat.configure(Map.of(ConcatFieldsConfig.FIELD, "id", ConcatFieldsConfig.PARTS, "a, '-', b"));
    SinkRecord out =
        concat.apply(new SinkRecord("t", 0, null, Map.of("a", 1, "b", 2), null, "v", 0));
    assertThat(((Map<Object, Object>) out.key()).get("id")).isEqualTo("1-2");
    assertThat(out.value()).isEqualTo("v");
  }
}
