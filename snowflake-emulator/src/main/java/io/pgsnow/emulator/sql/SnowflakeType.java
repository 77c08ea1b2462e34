package io.pgsnow.emulator.sql;

import java.util.List;
import java.util.Locale;

/**
 * A Snowflake column or cast type with its DuckDB storage type. VARIANT, OBJECT and ARRAY are all
 * stored as DuckDB JSON; the Snowflake label is kept so DESC can report the declared type.
 */
public record SnowflakeType(String label, String duckType) {

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
              "VARCHAR(" + (args.isEmpty() ? 16777216 : args.get(0)) + ")", "VARCHAR");
      case "BOOLEAN" -> new SnowflakeType("BOOLEAN", "BOOLEAN");
      case "DATE" -> new SnowflakeType("DATE", "DATE");
      case "TIME" -> new SnowflakeType("TIME(9)", "TIME");
      case "DATETIME", "TIMESTAMP", "TIMESTAMP_NTZ" ->
          new SnowflakeType("TIMESTAMP_NTZ(9)", "TIMESTAMP");
      case "TIMESTAMP_LTZ" -> new SnowflakeType("TIMESTAMP_LTZ(9)", "TIMESTAMPTZ");
      case "TIMESTAMP_TZ" -> new SnowflakeType("TIMESTAMP_TZ(9)", "TIMESTAMPTZ");
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

  /** The Snowflake label for a DuckDB column type, for columns created without our comment. */
  public static String labelForDuckType(String duckType) {
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
