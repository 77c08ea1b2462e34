package io.pgsnow.sink.model;

/**
 * Where a field of the row is read: a path into a VARIANT ({@code RECORD_CONTENT:"after":"id"}) or
 * a typed column of a schematized table. Renders the SQL that reads it as a given type.
 */
record FieldRef(String base, String field, boolean typedColumn) {

  /** A key of a VARIANT path in double quotes, which keeps its case and any character. */
  static String pathKey(String key) {
    return '"' + key.replace("\"", "\"\"") + '"';
  }

  static FieldRef path(String base, String field) {
    return new FieldRef(base, field, false);
  }

  static FieldRef column(String columnSql) {
    return new FieldRef(columnSql, null, true);
  }

  /** The value as it is: a VARIANT for a path, the column's own type for a column. */
  String raw() {
    return typedColumn ? base : base + ":" + pathKey(field);
  }

  String as(String type) {
    return raw() + "::" + type;
  }

  /** The SQL reading this field as {@code type}. */
  String read(ColumnType type) {
    return switch (type.kind()) {
      case NUMBER, FLOAT, BOOLEAN -> as(type.sqlType());
      case TEXT -> as("VARCHAR");
      case BINARY -> typedColumn ? raw() : "BASE64_DECODE_BINARY(" + as("VARCHAR") + ")";
      case EPOCH_DAYS -> "DATEADD(DAY, " + as("NUMBER") + ", '1970-01-01'::DATE)::DATE";
      case MICROS_OF_DAY ->
          "DATEADD(MICROSECOND, " + as("NUMBER") + ", '00:00:00'::TIME(6))::TIME(6)";
      case EPOCH_MICROS ->
          "DATEADD(MICROSECOND, "
              + as("NUMBER")
              + ", '1970-01-01'::TIMESTAMP_NTZ(6))::TIMESTAMP_NTZ(6)";
      case EPOCH_MILLIS ->
          "DATEADD(MILLISECOND, "
              + as("NUMBER")
              + ", '1970-01-01'::TIMESTAMP_NTZ(3))::TIMESTAMP_NTZ(3)";
      case CAST_TEXT -> as(type.sqlType());
      case ZONED_TEXT -> "TO_TIMESTAMP_TZ(" + as("VARCHAR") + ")";
      // A JSON null in the row is SQL NULL in the model, as the column is in PostgreSQL.
      case VARIANT -> "STRIP_NULL_VALUE(" + raw() + ")";
    };
  }
}
