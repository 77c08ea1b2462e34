package io.pgsnow.emulator.sql;

import java.util.List;
import java.util.Locale;

/**
 * A Snowflake column or cast type with its DuckDB storage type. VARIANT, OBJECT and ARRAY are all
 * stored as DuckDB JSON; the Snowflake label is kept so DESC can report the declared type.
 * TIMESTAMP_TZ keeps each value's own offset, which DuckDB's TIMESTAMPTZ (an instant) cannot, so it
 * is stored as {@link #TIMESTAMP_TZ_STRUCT}: the instant first, so ordering and comparison go by
 * the instant, then the offset in minutes. Values reach it through the engine's {@code
 * to_timestamp_tz} macro, never through a DuckDB cast (DuckDB cannot cast text to a struct).
 */
public record SnowflakeType(String label, String duckType) {

  /** DuckDB storage of a TIMESTAMP_TZ value. */
  public static final String TIMESTAMP_TZ_STRUCT = "STRUCT(utc TIMESTAMPTZ, tz_minutes SMALLINT)";

  /** The engine macro that turns text, timestamps and stored TIMESTAMP_TZ values into one. */
  public static final String TO_TIMESTAMP_TZ = "to_timestamp_tz";

  /**
   * The engine macro casting any value to text; a VARIANT holding a string gives the bare string
   * and JSON null gives NULL
   * (https://docs.snowflake.com/en/user-guide/semistructured-considerations), where DuckDB's cast
   * of JSON would keep the quotes.
   */
  public static final String CAST_TO_TEXT = "sf_cast_text";

  /**
   * The engine macros of CAST and TRY_CAST to VARCHAR(n) (text and n): the text, or when it is
   * longer than n Snowflake's error 100078 (it never truncates) or NULL.
   */
  public static final String CAST_TO_TEXT_MAX = "sf_cast_text_max";

  public static final String TRY_CAST_TO_TEXT_MAX = "sf_try_cast_text_max";

  /** DuckDB's conversion of any value to JSON, which is how a VARIANT is stored. */
  public static final String TO_VARIANT = "to_json";

  /** Snowflake's default length of VARCHAR, which no value exceeds. */
  private static final int MAX_TEXT = 16777216;

  /**
   * DuckDB SQL casting {@code expression} to {@code duckType} (with TRY_CAST when {@code lenient})
   * as Snowflake casts a VARIANT: by its scalar, so a JSON string {@code "12"} casts to 12 where
   * DuckDB's cast of JSON would fail. DuckDB folds {@code typeof} when binding, so a value that is
   * not JSON takes the plain cast alone; both branches have the target type.
   */
  public static String scalarCast(String expression, String duckType, boolean lenient) {
    String cast = lenient ? "TRY_CAST(" : "CAST(";
    return "CASE WHEN typeof("
        + expression
        + ") = 'JSON' THEN "
        + cast
        + "json_extract_string(CAST("
        + expression
        + " AS VARCHAR), '$') AS "
        + duckType
        + ") ELSE "
        + cast
        + expression
        + " AS "
        + duckType
        + ") END";
  }

  /** Maps a type name and its optional numeric arguments. */
  public static SnowflakeType of(String name, List<Integer> args) {
    String upper = name.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "NUMBER", "NUMERIC", "DECIMAL" -> number(args);
      case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT" ->
          new SnowflakeType("NUMBER(38,0)", "DECIMAL(38,0)");
      case "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "REAL", "DOUBLE PRECISION" ->
          new SnowflakeType("FLOAT", "DOUBLE");
      case "VARCHAR", "STRING", "TEXT", "CHAR", "CHARACTER", "NCHAR", "NVARCHAR", "NVARCHAR2" ->
          new SnowflakeType(
              "VARCHAR(" + (args.isEmpty() ? MAX_TEXT : args.get(0)) + ")", "VARCHAR");
      case "BOOLEAN" -> new SnowflakeType("BOOLEAN", "BOOLEAN");
      case "DATE" -> new SnowflakeType("DATE", "DATE");
      case "TIME" -> new SnowflakeType("TIME(9)", "TIME");
      case "DATETIME", "TIMESTAMP", "TIMESTAMP_NTZ" ->
          new SnowflakeType("TIMESTAMP_NTZ(9)", "TIMESTAMP");
      case "TIMESTAMP_LTZ" -> new SnowflakeType("TIMESTAMP_LTZ(9)", "TIMESTAMPTZ");
      case "TIMESTAMP_TZ" -> new SnowflakeType("TIMESTAMP_TZ(9)", TIMESTAMP_TZ_STRUCT);
      case "VARIANT", "OBJECT", "ARRAY" -> new SnowflakeType(upper, "JSON");
      case "BINARY", "VARBINARY" -> new SnowflakeType("BINARY(8388608)", "BLOB");
      case "GEOGRAPHY", "GEOMETRY" -> new SnowflakeType(upper, "VARCHAR");
      default -> new SnowflakeType(upper, upper);
    };
  }

  private static SnowflakeType number(List<Integer> args) {
    int precision = args.isEmpty() ? 38 : args.get(0);
    int scale = args.size() > 1 ? args.get(1) : 0;
    return new SnowflakeType(
        "NUMBER(" + precision + "," + scale + ")", "DECIMAL(" + precision + "," + scale + ")");
  }

  public boolean isSemiStructured() {
    return "JSON".equals(duckType);
  }

  public boolean isText() {
    return "VARCHAR".equals(duckType);
  }

  /** The declared length of a text type shorter than Snowflake's maximum, or -1. */
  public int textLength() {
    if (!isText() || !label.startsWith("VARCHAR(")) {
      return -1;
    }
    int length = Integer.parseInt(label.substring("VARCHAR(".length(), label.length() - 1));
    return length < MAX_TEXT ? length : -1;
  }

  public boolean isTimestampTz() {
    return TIMESTAMP_TZ_STRUCT.equals(duckType);
  }

  /** DuckDB SQL converting the value of {@code expression} (text or not) to this type. */
  public String convert(String expression) {
    return isTimestampTz()
        ? TO_TIMESTAMP_TZ + "(" + expression + ")"
        : "CAST(" + expression + " AS " + duckType + ")";
  }

  /** DuckDB SQL casting {@code expression} to this text type, its declared length checked. */
  public String textCast(String expression) {
    int length = textLength();
    return length < 0
        ? CAST_TO_TEXT + "(" + expression + ")"
        : CAST_TO_TEXT_MAX + "(" + expression + ", " + length + ")";
  }

  /**
   * The engine macro that makes {@code CAST(x AS this)} (or TRY_CAST when {@code lenient}) as
   * Snowflake does, or null for DuckDB's own cast: TIMESTAMP_TZ, text (a declared length checked),
   * VARIANT (not of a {@code bind} parameter), and TRY_CAST to TIMESTAMP, which reads Snowflake's
   * AUTO formats.
   */
  public String castMacro(boolean lenient, boolean bind) {
    if (isTimestampTz()) {
      return TO_TIMESTAMP_TZ;
    }
    if (isText() && textLength() >= 0) {
      return lenient ? TRY_CAST_TO_TEXT_MAX : CAST_TO_TEXT_MAX;
    }
    if (isText()) {
      return CAST_TO_TEXT;
    }
    if (label.equals("VARIANT") && !bind) {
      return TO_VARIANT;
    }
    return lenient && duckType.equals("TIMESTAMP") ? "try_to_timestamp_ntz" : null;
  }

  /**
   * Whether a DuckDB column type name, as its catalog or JDBC metadata spells it, is the storage of
   * TIMESTAMP_TZ.
   */
  public static boolean isTimestampTzStorage(String duckType) {
    String compact = duckType.toUpperCase(Locale.ROOT).replace(" ", "").replace("\"", "");
    return compact.equals("STRUCT(UTCTIMESTAMPWITHTIMEZONE,TZ_MINUTESSMALLINT)")
        || compact.equals("STRUCT(UTCTIMESTAMPTZ,TZ_MINUTESSMALLINT)");
  }

  /** The Snowflake label for a DuckDB column type, for columns created without our comment. */
  public static String labelForDuckType(String duckType) {
    if (isTimestampTzStorage(duckType)) {
      return "TIMESTAMP_TZ(9)";
    }
    String upper = duckType.toUpperCase(Locale.ROOT);
    if (upper.startsWith("DECIMAL")) {
      return upper.replace("DECIMAL", "NUMBER");
    }
    return switch (upper) {
      case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER" ->
          "NUMBER(38,0)";
      case "DOUBLE", "FLOAT" -> "FLOAT";
      case "VARCHAR" -> "VARCHAR(16777216)";
      case "JSON" -> "VARIANT";
      case "TIMESTAMP" -> "TIMESTAMP_NTZ(9)";
      case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP_LTZ(9)";
      case "BLOB" -> "BINARY(8388608)";
      case "TIME" -> "TIME(9)";
      default -> upper;
    };
  }
}
