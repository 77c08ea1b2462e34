package io.pgsnow.source.schema;

import io.pgsnow.source.config.DecimalHandling;
import io.pgsnow.source.config.TypeOptions;
import io.pgsnow.source.config.TypeOptions.HstoreHandling;
import io.pgsnow.source.config.TypeOptions.IntervalHandling;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
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
  public static final String DATE = TemporalTypes.DATE;
  public static final String MICRO_TIME = TemporalTypes.MICRO_TIME;
  public static final String MICRO_TIMESTAMP = TemporalTypes.MICRO_TIMESTAMP;
  public static final String ZONED_TIMESTAMP = TemporalTypes.ZONED_TIMESTAMP;
  public static final String ZONED_TIME = TemporalTypes.ZONED_TIME;
  public static final String UUID = "io.debezium.data.Uuid";
  public static final String JSON = "io.debezium.data.Json";
  public static final String XML = "io.debezium.data.Xml";
  public static final String ENUM = "io.debezium.data.Enum";
  public static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
  public static final String MICRO_DURATION = "io.debezium.time.MicroDuration";
  public static final String INTERVAL = "io.debezium.time.Interval";

  private static final Schema VARIABLE_DECIMAL_SCHEMA =
      SchemaBuilder.struct()
          .name(VARIABLE_SCALE_DECIMAL)
          .version(1)
          .doc("Variable scaled decimal")
          .field("scale", Schema.INT32_SCHEMA)
          .field("value", Schema.BYTES_SCHEMA)
          .optional()
          .build();

  private static final Function<String, Object> TEXT = s -> s;

  private final DecimalHandling decimalHandling;
  private final TypeOptions options;
  private final TemporalTypes temporal;
  private final TypeResolver types;
  private final SpecialValues specialValues = new SpecialValues();

  public ColumnTypes(DecimalHandling decimalHandling, TypeResolver types) {
    this(decimalHandling, TypeOptions.DEFAULTS, types);
  }

  public ColumnTypes(DecimalHandling decimalHandling, TypeOptions options, TypeResolver types) {
    this.decimalHandling = decimalHandling;
    this.options = options;
    this.temporal = new TemporalTypes(options.timePrecision());
    this.types = types;
  }

  /**
   * The value of an unchanged TOAST column of {@code schema}, or null (see toast.handling.mode).
   */
  public Object toastPlaceholder(Schema schema) {
    String placeholder = options.toastPlaceholder();
    if (placeholder == null) {
      return null;
    }
    switch (schema.type()) {
      case STRING:
        return placeholder;
      case BYTES:
        return schema.name() == null
            ? placeholder.getBytes(java.nio.charset.StandardCharsets.UTF_8)
            : null;
      case ARRAY:
        Object element = toastPlaceholder(schema.valueSchema());
        return element == null ? null : List.of(element);
      default:
        return null;
    }
  }

  /** Where the values no representation holds are counted. */
  public SpecialValues specialValues() {
    return specialValues;
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
        SchemaBuilder builder = SchemaBuilder.string().name(ENUM).version(1);
        if (!t.enumLabels().isEmpty()) {
          builder.parameter("allowed", String.join(",", t.enumLabels()));
        }
        return simple(builder, optional, TEXT);
      }
      if ("hstore".equals(t.name())) {
        return hstore(optional);
      }
      if (t.isArray()) {
        // An array column's typmod is its element's (numeric(6,2)[] holds numeric(6,2)).
        return array(forColumn(t.elementOid(), typmod, true), optional);
      }
    }
    return text(optional);
  }

  private ColumnType builtin(int oid, int typmod, boolean optional) {
    switch (oid) {
      case 16: // bool
        return simple(SchemaBuilder.bool(), optional, s -> "t".equals(s));
      case 17: // bytea
        return bytea(optional);
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
      case 790: // money
        return money(optional);
      case 1186: // interval
        return interval(optional);
      case 1082: // date
        return encoded(temporal.date(), optional);
      case 1083: // time
        return encoded(temporal.time(typmod), optional);
      case 1114: // timestamp
        return encoded(temporal.timestamp(typmod), optional);
      case 1184: // timestamptz
        return encoded(temporal.zonedTimestamp(typmod), optional);
      case 1266: // timetz
        return encoded(temporal.zonedTime(), optional);
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

  private ColumnType money(boolean optional) {
    int scale = options.moneyFractionDigits();
    switch (decimalHandling) {
      case DOUBLE:
        return simple(
            SchemaBuilder.float64(), optional, s -> TextValues.money(s, scale).doubleValue());
      case STRING:
        return simple(
            SchemaBuilder.string(), optional, s -> TextValues.money(s, scale).toPlainString());
      default:
        return simple(Decimal.builder(scale), optional, s -> TextValues.money(s, scale));
    }
  }

  private ColumnType interval(boolean optional) {
    if (options.intervalHandling() == IntervalHandling.STRING) {
      return simple(
          SchemaBuilder.string().name(INTERVAL).version(1),
          optional,
          s -> IntervalText.parse(s).isoString());
    }
    return simple(
        SchemaBuilder.int64().name(MICRO_DURATION).version(1),
        optional,
        s -> IntervalText.parse(s).durationMicros());
  }

  private ColumnType bytea(boolean optional) {
    switch (options.binaryHandling()) {
      case BASE64:
        return simple(SchemaBuilder.string(), optional, TextValues::base64);
      case BASE64_URL_SAFE:
        return simple(SchemaBuilder.string(), optional, TextValues::base64UrlSafe);
      case HEX:
        return simple(SchemaBuilder.string(), optional, TextValues::hex);
      default:
        return simple(SchemaBuilder.bytes(), optional, TextValues::bytea);
    }
  }

  private ColumnType hstore(boolean optional) {
    if (options.hstoreHandling() == HstoreHandling.MAP) {
      return simple(
          SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA),
          optional,
          s -> TextValues.hstore(s));
    }
    return simple(
        SchemaBuilder.string().name(JSON).version(1),
        optional,
        s -> TextValues.json(TextValues.hstore(s)));
  }

  private static ColumnType encoded(TemporalTypes.Encoding encoding, boolean optional) {
    return simple(encoding.builder(), optional, encoding.converter());
  }

  private static Schema requiredCopy(Schema struct) {
    SchemaBuilder b =
        SchemaBuilder.struct().name(struct.name()).version(struct.version()).doc(struct.doc());
    struct.fields().forEach(f -> b.field(f.name(), f.schema()));
    return b.build();
  }

  private static BigDecimal preciseDecimal(String text) {
    if ("NaN".equals(text) || text.endsWith("Infinity")) {
      throw new SpecialValueException(text);
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
          try {
            flatten(ArrayText.parse(s, ','), element, values);
          } catch (SpecialValueException e) {
            // One element the representation cannot hold: the whole array's text is kept.
            throw new SpecialValueException(s);
          }
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

  private record Simple(Schema schema, Function<String, Object> converter) implements ColumnType {
    @Override
    public Object fromText(String text) {
      return converter.apply(text);
    }
  }
}
