package io.pgsnow.sink.model;

import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The Snowflake type of a model column and how a field's value becomes it: Debezium's temporal
 * integers are counted from the epoch, decimals keep their scale, structs, maps, arrays and JSON
 * stay VARIANT.
 */
public record ColumnType(Kind kind, String sqlType) {

  /** How a field's value is read. */
  public enum Kind {
    NUMBER,
    FLOAT,
    BOOLEAN,
    TEXT,
    BINARY,
    /** Days since the epoch (io.debezium.time.Date). */
    EPOCH_DAYS,
    /** Microseconds since midnight (io.debezium.time.MicroTime). */
    MICROS_OF_DAY,
    /** Microseconds since the epoch (io.debezium.time.MicroTimestamp). */
    EPOCH_MICROS,
    /** Milliseconds since the epoch (io.debezium.time.Timestamp). */
    EPOCH_MILLIS,
    /** Text Snowflake casts itself: Connect's Date, Time, Timestamp. */
    CAST_TEXT,
    /** ISO-8601 text with an offset (io.debezium.time.ZonedTimestamp). */
    ZONED_TEXT,
    VARIANT
  }

  static final String DEBEZIUM_DATE = "io.debezium.time.Date";
  static final String MICRO_TIME = "io.debezium.time.MicroTime";
  static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
  static final String MILLI_TIMESTAMP = "io.debezium.time.Timestamp";
  static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
  static final String JSON = "io.debezium.data.Json";

  private static final Map<String, ColumnType> LOGICAL =
      Map.of(
          DEBEZIUM_DATE,
          new ColumnType(Kind.EPOCH_DAYS, "DATE"),
          MICRO_TIME,
          new ColumnType(Kind.MICROS_OF_DAY, "TIME(6)"),
          MICRO_TIMESTAMP,
          new ColumnType(Kind.EPOCH_MICROS, "TIMESTAMP_NTZ(6)"),
          MILLI_TIMESTAMP,
          new ColumnType(Kind.EPOCH_MILLIS, "TIMESTAMP_NTZ(3)"),
          ZONED_TIMESTAMP,
          new ColumnType(Kind.ZONED_TEXT, "TIMESTAMP_TZ(6)"),
          JSON,
          variant(),
          Date.LOGICAL_NAME,
          new ColumnType(Kind.CAST_TEXT, "DATE"),
          Time.LOGICAL_NAME,
          new ColumnType(Kind.CAST_TEXT, "TIME(3)"),
          Timestamp.LOGICAL_NAME,
          new ColumnType(Kind.CAST_TEXT, "TIMESTAMP_NTZ(3)"));

  public static ColumnType variant() {
    return new ColumnType(Kind.VARIANT, "VARIANT");
  }

  /** The type of a field with a Connect schema. */
  public static ColumnType of(Schema schema) {
    String name = schema.name();
    if (Decimal.LOGICAL_NAME.equals(name)) {
      Map<String, String> p = schema.parameters() == null ? Map.of() : schema.parameters();
      int scale = Integer.parseInt(p.getOrDefault(Decimal.SCALE_FIELD, "0"));
      String precision = p.getOrDefault("connect.decimal.precision", "38");
      int digits = Math.min(38, Math.max(Integer.parseInt(precision), Math.max(scale, 1)));
      // Snowflake's scale is 0..37; a negative PostgreSQL scale holds integers.
      return new ColumnType(Kind.NUMBER, "NUMBER(" + digits + "," + Math.max(0, scale) + ")");
    }
    if (name != null && LOGICAL.containsKey(name)) {
      return LOGICAL.get(name);
    }
    return switch (schema.type()) {
      case INT8, INT16, INT32, INT64 -> new ColumnType(Kind.NUMBER, "NUMBER(38,0)");
      case FLOAT32, FLOAT64 -> new ColumnType(Kind.FLOAT, "FLOAT");
      case BOOLEAN -> new ColumnType(Kind.BOOLEAN, "BOOLEAN");
      case STRING -> new ColumnType(Kind.TEXT, "VARCHAR");
      case BYTES -> new ColumnType(Kind.BINARY, "BINARY");
      case STRUCT, MAP, ARRAY -> variant();
    };
  }

  /** The type of a schemaless JSON value; a null tells nothing, so it is a VARIANT. */
  public static ColumnType inferred(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return new ColumnType(Kind.NUMBER, "NUMBER(38,0)");
    }
    if (value instanceof java.math.BigInteger) {
      return new ColumnType(Kind.NUMBER, "NUMBER(38,0)");
    }
    if (value instanceof Number) {
      return new ColumnType(Kind.FLOAT, "FLOAT");
    }
    if (value instanceof Boolean) {
      return new ColumnType(Kind.BOOLEAN, "BOOLEAN");
    }
    if (value instanceof String) {
      return new ColumnType(Kind.TEXT, "VARCHAR");
    }
    return variant();
  }

  /**
   * Whether PostgreSQL may leave the value out of an update as an unchanged TOAST value: the
   * variable-length types.
   */
  public boolean toastable() {
    return kind == Kind.TEXT || kind == Kind.BINARY || kind == Kind.VARIANT;
  }
}
