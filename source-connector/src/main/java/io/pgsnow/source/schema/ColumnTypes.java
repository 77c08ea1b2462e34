package io.pgsnow.source.schema;

import io.pgsnow.source.PostgresCdcSourceConfig.DecimalHandling;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Maps PostgreSQL column types to Connect schemas and converts pgoutput's text values, using the
 * representations of Debezium's PostgreSQL connector
 * (time.precision.mode=adaptive_time_microseconds) so that its consumers keep working. Types
 * without a mapping keep their text form.
 *
 * <p>Values a representation cannot hold are never turned into null: timestamps past the 64-bit
 * microsecond range and date/timestamp infinities map to the largest or smallest value of the type
 * (documented), and numeric NaN/Infinity in precise mode fail with a message naming the value.
 */
public final class ColumnTypes {
  public static final String DATE = "io.debezium.time.Date";
  public static final String MICRO_TIME = "io.debezium.time.MicroTime";
  public static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
  public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
  public static final String ZONED_TIME = "io.debezium.time.ZonedTime";
  public static final String UUID = "io.debezium.data.Uuid";
  public static final String JSON = "io.debezium.data.Json";
  public static final String XML = "io.debezium.data.Xml";
  public static final String ENUM = "io.debezium.data.Enum";
  public static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

  private static final DateTimeFormatter ZONED_TIMESTAMP_FORMAT =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final Schema VARIABLE_DECIMAL_SCHEMA =
      SchemaBuilder.struct()
          .name(VARIABLE_SCALE_DECIMAL)
          .doc("Variable scaled decimal")
          .field("scale", Schema.INT32_SCHEMA)
          .field("value", Schema.BYTES_SCHEMA)
          .optional()
          .build();

  private static final Function<String, Object> TEXT = s -> s;

  private final DecimalHandling decimalHandling;
  private final TypeResolver types;

  public ColumnTypes(DecimalHandling decimalHandling, TypeResolver types) {
    this.decimalHandling = decimalHandling;
    this.types = types;
  }

  /** The representation of a column of type {@code oid} with modifier {@code typmod}. */
  public ColumnType forColumn(int oid, int typmod, boolean optional) {
    ColumnType builtin = builtin(oid, typmod, optional);
    if (builtin != null) {
      return builtin;
    }
    Optional<PgType> type = types.lookup(oid);
    if (type.isPresent()) {
      PgType t = type.get();
      if (t.isDomain()) {
        return forColumn(t.baseOid(), typmod, optional);
      }
      if (t.isEnum()) {
        return simple(SchemaBuilder.string().name(ENUM), optional, TEXT);
      }
      if (t.isArray()) {
        return array(forColumn(t.elementOid(), -1, true), optional);
      }
    }
    return text(optional);
  }

  private ColumnType builtin(int oid, int typmod, boolean optional) {
    switch (oid) {
      case 16: // bool
        return simple(SchemaBuilder.bool(), optional, s -> "t".equals(s));
      case 17: // bytea
        return simple(SchemaBuilder.bytes(), optional, ColumnTypes::bytea);
      case 21: // int2
        return simple(SchemaBuilder.int16(), optional, Short::valueOf);
      case 23: // int4
        return simple(SchemaBuilder.int32(), optional, Integer::valueOf);
      case 20: // int8
      case 26: // oid
        return simple(SchemaBuilder.int64(), optional, Long::valueOf);
      case 700: // float4
        return simple(SchemaBuilder.float32(), optional, Float::valueOf);
      case 701: // float8
        return simple(SchemaBuilder.float64(), optional, Double::valueOf);
      case 1700: // numeric
        return numeric(typmod, optional);
      case 1082: // date
        return simple(SchemaBuilder.int32().name(DATE).version(1), optional, ColumnTypes::date);
      case 1083: // time
        return simple(
            SchemaBuilder.int64().name(MICRO_TIME).version(1), optional, TemporalText::microsOfDay);
      case 1114: // timestamp
        return simple(
            SchemaBuilder.int64().name(MICRO_TIMESTAMP).version(1),
            optional,
            ColumnTypes::timestamp);
      case 1184: // timestamptz
        return simple(
            SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1),
            optional,
            ColumnTypes::zonedTimestamp);
      case 1266: // timetz
        return simple(
            SchemaBuilder.string().name(ZONED_TIME).version(1), optional, ColumnTypes::zonedTime);
      case 2950: // uuid
        return simple(SchemaBuilder.string().name(UUID).version(1), optional, TEXT);
      case 114: // json
      case 3802: // jsonb
        return simple(SchemaBuilder.string().name(JSON).version(1), optional, TEXT);
      case 142: // xml
        return simple(SchemaBuilder.string().name(XML).version(1), optional, TEXT);
      default:
        return null;
    }
  }

  private ColumnType numeric(int typmod, boolean optional) {
    switch (decimalHandling) {
      case DOUBLE:
        return simple(SchemaBuilder.float64(), optional, Double::valueOf);
      case STRING:
        return text(optional);
      default:
        break;
    }
    if (typmod < 4) {
      Schema schema = optional ? VARIABLE_DECIMAL_SCHEMA : requiredCopy(VARIABLE_DECIMAL_SCHEMA);
      return new Simple(
          schema,
          s -> {
            BigDecimal value = preciseDecimal(s);
            return new Struct(schema)
                .put("scale", value.scale())
                .put("value", value.unscaledValue().toByteArray());
          });
    }
    int precision = ((typmod - 4) >> 16) & 0xffff;
    // Since PostgreSQL 15 the scale is an 11-bit signed field and may be negative.
    int scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
    SchemaBuilder builder =
        Decimal.builder(scale).parameter("connect.decimal.precision", Integer.toString(precision));
    return simple(
        builder, optional, s -> preciseDecimal(s).setScale(scale, RoundingMode.UNNECESSARY));
  }

  private static Schema requiredCopy(Schema struct) {
    SchemaBuilder b = SchemaBuilder.struct().name(struct.name()).doc(struct.doc());
    struct.fields().forEach(f -> b.field(f.name(), f.schema()));
    return b.build();
  }

  private static BigDecimal preciseDecimal(String text) {
    if ("NaN".equals(text) || text.endsWith("Infinity")) {
      throw new ValueConversionException(
          "numeric value "
              + text
              + " cannot be represented as a Connect Decimal; set decimal.handling.mode to"
              + " double or string");
    }
    return new BigDecimal(text);
  }

  private ColumnType array(ColumnType element, boolean optional) {
    SchemaBuilder builder = SchemaBuilder.array(element.schema());
    return simple(
        builder,
        optional,
        s -> {
          List<Object> values = new ArrayList<>();
          flatten(ArrayText.parse(s, ','), element, values);
          return values;
        });
  }

  /**
   * Connect array schemas have a fixed depth while a PostgreSQL array column may hold values of any
   * dimension; multi-dimensional values are emitted in row-major order rather than dropped.
   */
  private static void flatten(List<Object> items, ColumnType element, List<Object> out) {
    for (Object item : items) {
      if (item instanceof List<?> nested) {
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) nested;
        flatten(inner, element, out);
      } else {
        out.add(item == null ? null : element.fromText((String) item));
      }
    }
  }

  private static ColumnType text(boolean optional) {
    return simple(SchemaBuilder.string(), optional, TEXT);
  }

  private static ColumnType simple(
      SchemaBuilder builder, boolean optional, Function<String, Object> converter) {
    if (optional) {
      builder.optional();
    }
    return new Simple(builder.build(), converter);
  }

  static byte[] bytea(String text) {
    if (text.startsWith("\\x")) {
      return HexFormat.of().parseHex(text, 2, text.length());
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Object date(String text) {
    if ("infinity".equals(text)) {
      return Integer.MAX_VALUE;
    }
    if ("-infinity".equals(text)) {
      return Integer.MIN_VALUE;
    }
    return Math.toIntExact(TemporalText.epochDay(text));
  }

  static Object timestamp(String text) {
    if ("infinity".equals(text)) {
      return Long.MAX_VALUE;
    }
    if ("-infinity".equals(text)) {
      return Long.MIN_VALUE;
    }
    try {
      return TemporalText.epochMicros(text);
    } catch (ArithmeticException e) {
      return text.endsWith(" BC") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Object zonedTimestamp(String text) {
    if ("infinity".equals(text) || "-infinity".equals(text)) {
      return text;
    }
    long micros;
    try {
      micros = TemporalText.epochMicros(text);
    } catch (ArithmeticException e) {
      return text;
    }
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    return ZONED_TIMESTAMP_FORMAT.format(instant);
  }

  static Object zonedTime(String text) {
    long micros = TemporalText.utcMicrosOfDay(text);
    return LocalTime.ofNanoOfDay(micros * 1000L) + "Z";
  }

  private record Simple(Schema schema, Function<String, Object> converter) implements ColumnType {
    @Override
    public Object fromText(String text) {
      return converter.apply(text);
    }
  }
}
