package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.FunctionCalls;
import java.util.List;

/**
 * Snowflake's functions on VARIANT, OBJECT and ARRAY values (stored as DuckDB JSON) that DuckDB
 * lacks or names for something else, defined as connection-local macros next to {@link
 * DuckDbFunctions}. The translator renames the calls whose names DuckDB already uses (TYPEOF, GET,
 * ARRAY_CONTAINS).
 */
final class SemiStructuredFunctions {

  /**
   * A JSON key as a DuckDB JSON path step ({@code $."key"}), quotes escaped, for keys known only
   * when the query runs.
   */
  private static final String KEY_PATH =
      "'$.\"' || replace(CAST(k AS VARCHAR), '\"', '\\\"') || '\"'";

  private static final List<String> MACROS =
      List.of(
          // Snowflake's type name of the value a JSON text holds. DuckDB reads 1.5 and 1e5 both
          // as DOUBLE; Snowflake keeps a number with a fraction and no exponent as DECIMAL, and
          // one with an exponent as DOUBLE
          // (https://docs.snowflake.com/en/sql-reference/functions/typeof).
          "CREATE OR REPLACE TEMP MACRO sf_json_typeof(t) AS CASE json_type(t)"
              + " WHEN 'NULL' THEN 'NULL_VALUE' WHEN 'BIGINT' THEN 'INTEGER'"
              + " WHEN 'UBIGINT' THEN 'INTEGER'"
              + " WHEN 'DOUBLE' THEN CASE WHEN regexp_matches(t, '[eE]') THEN 'DOUBLE'"
              + " WHEN contains(t, '.') THEN 'DECIMAL' ELSE 'INTEGER' END"
              + " ELSE json_type(t) END",
          // Snowflake's type name of a SQL value cast to VARIANT, by its DuckDB type name.
          "CREATE OR REPLACE TEMP MACRO sf_sql_typeof(t) AS CASE"
              + " WHEN t IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT',"
              + " 'USMALLINT', 'UINTEGER', 'UBIGINT') OR regexp_full_match(t, 'DECIMAL\\(\\d+,0\\)')"
              + " THEN 'INTEGER' WHEN starts_with(t, 'DECIMAL') THEN 'DECIMAL'"
              + " WHEN t IN ('DOUBLE', 'FLOAT') THEN 'DOUBLE'"
              + " WHEN t = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ'"
              + " WHEN t = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_LTZ'"
              + " WHEN starts_with(t, 'STRUCT(utc') THEN 'TIMESTAMP_TZ'"
              + " WHEN t = 'BLOB' THEN 'BINARY' ELSE t END",
          // TYPEOF. DuckDB evaluates every branch of a constant CASE, so the JSON branch guards
          // its own argument (TYPEOF('test') must not read 'test' as JSON).
          "CREATE OR REPLACE TEMP MACRO sf_typeof(x) AS CASE WHEN x IS NULL THEN NULL"
              + " WHEN typeof(x) = 'JSON'"
              + " THEN sf_json_typeof(CASE WHEN typeof(x) = 'JSON' THEN CAST(x AS VARCHAR) END)"
              + " ELSE sf_sql_typeof(typeof(x)) END",
          "CREATE OR REPLACE TEMP MACRO is_null_value(x) AS sf_typeof(x) = 'NULL_VALUE'",
          "CREATE OR REPLACE TEMP MACRO is_array(x) AS sf_typeof(x) = 'ARRAY'",
          "CREATE OR REPLACE TEMP MACRO is_object(x) AS sf_typeof(x) = 'OBJECT'",
          "CREATE OR REPLACE TEMP MACRO is_boolean(x) AS sf_typeof(x) = 'BOOLEAN'",
          "CREATE OR REPLACE TEMP MACRO is_integer(x) AS sf_typeof(x) = 'INTEGER'",
          "CREATE OR REPLACE TEMP MACRO is_decimal(x) AS sf_typeof(x) IN ('INTEGER', 'DECIMAL')",
          "CREATE OR REPLACE TEMP MACRO is_double(x) AS"
              + " sf_typeof(x) IN ('INTEGER', 'DECIMAL', 'DOUBLE')",
          "CREATE OR REPLACE TEMP MACRO is_real(x) AS is_double(x)",
          "CREATE OR REPLACE TEMP MACRO is_varchar(x) AS sf_typeof(x) = 'VARCHAR'",
          "CREATE OR REPLACE TEMP MACRO is_char(x) AS is_varchar(x)",
          // GET(value, index or key): a negative or missing index, or a missing key, is NULL.
          "CREATE OR REPLACE TEMP MACRO sf_get(x, k) AS CASE WHEN typeof(k) = 'VARCHAR'"
              + " THEN json_extract(CAST(x AS JSON), "
              + KEY_PATH
              + ") WHEN TRY_CAST(k AS BIGINT) < 0 THEN NULL"
              + " ELSE json_extract(CAST(x AS JSON), '$[' || TRY_CAST(k AS BIGINT) || ']') END",
          // ARRAY_CONTAINS(value, array): elements compared as normalized JSON text.
          "CREATE OR REPLACE TEMP MACRO sf_array_contains(v, a) AS CASE WHEN v IS NULL OR a IS NULL"
              + " THEN NULL ELSE list_contains(list_transform(json_extract(CAST(a AS JSON), '$[*]'),"
              + " lambda e: CAST(json(e) AS VARCHAR)), CAST(json(to_json(v)) AS VARCHAR)) END",
          // OBJECT_CONSTRUCT(*): the row as an object without its NULL fields, keys sorted.
          "CREATE OR REPLACE TEMP MACRO sf_drop_null_fields(j) AS coalesce(to_json("
              + "map_from_entries(list_sort(list_filter(list_transform(json_keys(j),"
              + " lambda k: {'k': k, 'v': json_extract(j, "
              + KEY_PATH
              + ")}), lambda e: json_type(e.v) <> 'NULL')))), CAST('{}' AS JSON))",
          "CREATE OR REPLACE TEMP MACRO " + FunctionCalls.ARRAY + "(x) AS x");

  private SemiStructuredFunctions() {}

  /** The macros, which {@link DuckDbFunctions} installs on each connection. */
  static List<String> macros() {
    return MACROS;
  }
}
