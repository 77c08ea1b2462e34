package io.pgsnow.source.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.source.config.DecimalHandling;
import io.pgsnow.source.config.TypeOptions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class ColumnTypesTest {
  private static final int NUMERIC_10_2 = (10 << 16 | 2) + 4;
  private final ColumnTypes precise = new ColumnTypes(DecimalHandling.PRECISE, TypeResolver.NONE);

  private Object convert(int oid, String text) {
    return precise.forColumn(oid, -1, true).fromText(text);
  }

  @Test
  void mapsScalarTypes() {
    assertThat(convert(16, "t")).isEqualTo(true);
    assertThat(convert(21, "-7")).isEqualTo((short) -7);
    assertThat(convert(23, "42")).isEqualTo(42);
    assertThat(convert(20, "9007199254740993")).isEqualTo(9007199254740993L);
    assertThat(convert(700, "1.5")).isEqualTo(1.5f);
    assertThat(convert(701, "NaN")).isEqualTo(Double.NaN);
    assertThat(convert(701, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(convert(25, "text")).isEqualTo("text");
    assertThat((byte[]) convert(17, "\\xdeadbeef")).containsExactly(0xde, 0xad, 0xbe, 0xef);
    assertThat(convert(2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(precise.forColumn(3802, -1, true).schema().name()).isEqualTo(ColumnTypes.JSON);
  }

  @Test
  void unknownTypesKeepTheirTextForm() {
    ColumnType inet = precise.forColumn(869, -1, true);
    assertThat(inet.schema().type()).isEqualTo(Schema.Type.STRING);
    assertThat(inet.fromText("10.0.0.1/32")).isEqualTo("10.0.0.1/32");
  }

  @Test
  void constrainedNumericIsADecimalWithItsScale() {
    ColumnType type = precise.forColumn(1700, NUMERIC_10_2, true);
    assertThat(type.schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
    assertThat(type.schema().parameters()).containsEntry(Decimal.SCALE_FIELD, "2");
    assertThat(type.schema().parameters()).containsEntry("connect.decimal.precision", "10");
    assertThat(type.fromText("23.50")).isEqualTo(new BigDecimal("23.50"));
  }

  @Test
  void unconstrainedNumericKeepsEachValuesScale() {
    ColumnType type = precise.forColumn(1700, -1, true);
    Struct value = (Struct) type.fromText("-12.345");
    assertThat(value.getInt32("scale")).isEqualTo(3);
    assertThat(new BigDecimal(new java.math.BigInteger(value.getBytes("value")), 3))
        .isEqualTo(new BigDecimal("-12.345"));
  }

  @Test
  void numericNanIsASpecialValueInPreciseModeButNotOtherwise() {
    assertThatThrownBy(() -> precise.forColumn(1700, NUMERIC_10_2, true).fromText("NaN"))
        .isInstanceOf(SpecialValueException.class)
        .hasMessage("NaN");
    assertThatThrownBy(() -> precise.forColumn(1700, -1, true).fromText("Infinity"))
        .isInstanceOf(SpecialValueException.class)
        .hasMessage("Infinity");
    ColumnTypes doubles = new ColumnTypes(DecimalHandling.DOUBLE, TypeResolver.NONE);
    assertThat(doubles.forColumn(1700, NUMERIC_10_2, true).fromText("NaN")).isEqualTo(Double.NaN);
    assertThat(doubles.forColumn(1700, -1, true).fromText("-Infinity"))
        .isEqualTo(Double.NEGATIVE_INFINITY);
    ColumnTypes strings = new ColumnTypes(DecimalHandling.STRING, TypeResolver.NONE);
    assertThat(strings.forColumn(1700, -1, true).fromText("NaN")).isEqualTo("NaN");
  }

  @Test
  void datesIncludingBcLargeYearsAndInfinity() {
    assertThat(convert(1082, "2020-01-15")).isEqualTo((int) LocalDate.of(2020, 1, 15).toEpochDay());
    assertThat(convert(1082, "0044-03-15 BC"))
        .isEqualTo((int) LocalDate.of(-43, 3, 15).toEpochDay());
    assertThat(convert(1082, "12345-06-07"))
        .isEqualTo((int) LocalDate.of(12345, 6, 7).toEpochDay());
    assertThat(convert(1082, "infinity")).isEqualTo(Integer.MAX_VALUE);
    assertThat(convert(1082, "-infinity")).isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void timestampsInMicrosecondsWithoutSilentOverflow() {
    assertThat(convert(1114, "1970-01-01 00:00:01.5")).isEqualTo(1_500_000L);
    assertThat(convert(1114, "1969-12-31 23:59:59.999999")).isEqualTo(-1L);
    assertThat(convert(1114, "2024-01-31 12:34:56.123456"))
        .isEqualTo(
            LocalDate.of(2024, 1, 31).toEpochDay() * 86_400_000_000L
                + ((12 * 60 + 34) * 60 + 56) * 1_000_000L
                + 123_456L);
    // PostgreSQL's largest timestamp does not fit 64-bit microseconds since 1970.
    assertThatThrownBy(() -> convert(1114, "294276-12-31 23:59:59.999999"))
        .isInstanceOf(SpecialValueException.class)
        .hasMessage("294276-12-31 23:59:59.999999");
    assertThat(convert(1114, "infinity")).isEqualTo(Long.MAX_VALUE);
    assertThat(convert(1114, "-infinity")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void zonedValuesAreNormalisedToUtc() {
    assertThat(convert(1184, "2024-01-31 12:34:56.5+02")).isEqualTo("2024-01-31T10:34:56.500000Z");
    assertThat(precise.forColumn(1184, 0, true).fromText("2024-01-31 00:00:00-03:30"))
        .isEqualTo("2024-01-31T03:30:00Z");
    assertThat(convert(1184, "infinity")).isEqualTo("infinity");
    assertThat(convert(1266, "12:00:00+05:30")).isEqualTo("06:30:00Z");
    assertThat(convert(1083, "24:00:00")).isEqualTo(86_400_000_000L);
    assertThat(convert(1083, "08:30:00.25")).isEqualTo((8 * 3600 + 1800) * 1_000_000L + 250_000L);
  }

  @Test
  void typeOptionsFollowDebezium() {
    ColumnTypes connect =
        new ColumnTypes(
            DecimalHandling.PRECISE,
            TypeOptions.of(
                Map.of(
                    "time.precision.mode", "connect",
                    "interval.handling.mode", "string",
                    "binary.handling.mode", "hex",
                    "money.fraction.digits", "3")),
            TypeResolver.NONE);
    assertThat(connect.forColumn(1114, -1, true).fromText("1970-01-01 00:00:01.5"))
        .isEqualTo(new java.util.Date(1500));
    assertThat(connect.forColumn(1186, -1, true).fromText("P1Y2M3DT4H5M6.5S"))
        .isEqualTo("P1Y2M3DT4H5M6.5S");
    assertThat(connect.forColumn(1186, -1, true).fromText("-1 days +02:03:00.5"))
        .isEqualTo("P0Y0M-1DT2H3M0.5S");
    assertThat(connect.forColumn(17, -1, true).fromText("\\xdeadbeef")).isEqualTo("deadbeef");
    assertThat(connect.forColumn(790, -1, true).fromText("-$1,234.56"))
        .isEqualTo(new BigDecimal("-1234.560"));
    // adaptive, Debezium's default: millisecond types for precision 0-3.
    assertThat(precise.forColumn(1114, 3, true).schema().name())
        .isEqualTo("io.debezium.time.Timestamp");
    assertThat(precise.forColumn(1114, 3, true).fromText("1970-01-01 00:00:01.5")).isEqualTo(1500L);
    assertThat(precise.forColumn(1083, 3, true).fromText("00:00:01.5")).isEqualTo(1500);
    assertThat(convert(1186, "P1D")).isEqualTo(86_400_000_000L);
    assertThat(convert(1186, "P1M")).isEqualTo((long) (30.4375 * 86_400_000_000L));
    assertThat(convert(1184, "10000-01-01 00:00:00+00")).isEqualTo("+10000-01-01T00:00:00.000000Z");
  }

  @Test
  void hstoreBinaryAndToastPlaceholderOptions() {
    TypeResolver hstore =
        oid ->
            oid == 30000
                ? Optional.of(new PgType(30000, "hstore", 'b', 'U', 0, 0))
                : Optional.empty();
    ColumnTypes json = new ColumnTypes(DecimalHandling.PRECISE, hstore);
    assertThat(json.forColumn(30000, -1, true).fromText("\"a\"=>\"1\", \"b \\\"q\"=>NULL"))
        .isEqualTo("{\"a\":\"1\",\"b \\\"q\":null}");
    ColumnTypes map =
        new ColumnTypes(
            DecimalHandling.PRECISE,
            TypeOptions.of(
                Map.of(
                    "hstore.handling.mode", "map",
                    "binary.handling.mode", "base64",
                    "toast.handling.mode", "placeholder")),
            hstore);
    java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("a", "1");
    expected.put("b", null);
    assertThat(map.forColumn(30000, -1, true).fromText("\"a\"=>\"1\", \"b\"=>NULL"))
        .isEqualTo(expected);
    assertThat(map.forColumn(17, -1, true).fromText("\\xdeadbeef")).isEqualTo("3q2+7w==");
    assertThat(map.toastPlaceholder(Schema.OPTIONAL_STRING_SCHEMA))
        .isEqualTo("__debezium_unavailable_value");
    assertThat(map.toastPlaceholder(Schema.OPTIONAL_INT32_SCHEMA)).isNull();
    assertThat(
            map.toastPlaceholder(
                org.apache.kafka.connect.data.SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA)
                    .build()))
        .isEqualTo(List.of("__debezium_unavailable_value"));
    assertThat(json.toastPlaceholder(Schema.OPTIONAL_STRING_SCHEMA)).isNull();
  }

  @Test
  void arraysWithQuotesNullsAndNesting() {
    ColumnTypes withCatalog =
        new ColumnTypes(
            DecimalHandling.PRECISE,
            oid ->
                Optional.ofNullable(
                    Map.of(
                            1009, new PgType(1009, "_text", 'b', 'A', 25, 0),
                            1007, new PgType(1007, "_int4", 'b', 'A', 23, 0))
                        .get(oid)));
    assertThat(withCatalog.forColumn(1009, -1, true).fromText("{\"a b\",c,NULL,\"q\\\"x\"}"))
        .isEqualTo(Arrays.asList("a b", "c", null, "q\"x"));
    ColumnType ints = withCatalog.forColumn(1007, -1, true);
    assertThat(ints.schema().valueSchema().type()).isEqualTo(Schema.Type.INT32);
    assertThat(ints.fromText("{{1,2},{3,NULL}}")).isEqualTo(Arrays.asList(1, 2, 3, null));
    assertThat(ints.fromText("[0:1]={5,6}")).isEqualTo(List.of(5, 6));
    assertThat(ints.fromText("{}")).isEqualTo(List.of());
  }

  @Test
  void enumsAndDomainsResolveThroughTheCatalog() {
    ColumnTypes withCatalog =
        new ColumnTypes(
            DecimalHandling.PRECISE,
            oid ->
                Optional.ofNullable(
                    Map.of(
                            20001, new PgType(20001, "mood", 'e', 'E', 0, 0),
                            20002, new PgType(20002, "positive_int", 'd', 'N', 0, 23))
                        .get(oid)));
    ColumnType mood = withCatalog.forColumn(20001, -1, true);
    assertThat(mood.schema().name()).isEqualTo(ColumnTypes.ENUM);
    assertThat(mood.fromText("high")).isEqualTo("high");
    assertThat(withCatalog.forColumn(20002, -1, true).fromText("7")).isEqualTo(7);
  }

  @Test
  void keyColumnsAreRequiredOthersOptional() {
    assertThat(precise.forColumn(23, -1, false).schema().isOptional()).isFalse();
    assertThat(precise.forColumn(23, -1, true).schema().isOptional()).isTrue();
    assertThat(precise.forColumn(1700, -1, false).schema().isOptional()).isFalse();
  }
}
