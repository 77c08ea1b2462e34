package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.FunctionCalls;
import io.pgsnow.emulator.sql.SnowflakeType;
import java.util.List;

/**
 * Snowflake's conversion, date and utility functions that DuckDB lacks or answers differently,
 * defined as connection-local macros next to {@link DuckDbFunctions}. Typed overloads pick the
 * behaviour by argument type, as Snowflake's functions do (DATEADD of a DATE is a DATE).
 */
final class ConversionFunctions {

  /** Raised by a macro for a form the emulator refuses; {@link DuckDbErrors} maps it. */
  static final String UNSUPPORTED_MARKER = "sf-unsupported: ";

  /**
   * Raised by a cast to VARCHAR(n) of a longer string, followed by Snowflake's message; {@link
   * DuckDbErrors} maps it to 100078.
   */
  static final String TOO_LONG_MARKER = "sf-string-too-long: ";

  private static final String INTERVAL = "CAST(CAST(n AS VARCHAR) || ' ' || part AS INTERVAL)";

  private static final List<String> MACROS =
      List.of(
          "CREATE OR REPLACE TEMP MACRO to_date(x) AS "
              + SnowflakeType.scalarCast("x", "DATE", false),
          "CREATE OR REPLACE TEMP MACRO to_time(x) AS "
              + SnowflakeType.scalarCast("x", "TIME", false),
          "CREATE OR REPLACE TEMP MACRO try_to_date(x) AS "
              + SnowflakeType.scalarCast("x", "DATE", true),
          "CREATE OR REPLACE TEMP MACRO try_to_time(x) AS "
              + SnowflakeType.scalarCast("x", "TIME", true),
          // Text of a VARIANT's scalar, or of any other value.
          "CREATE OR REPLACE TEMP MACRO sf_scalar_text(x) AS "
              + SnowflakeType.scalarCast("x", "VARCHAR", false),
          // Snowflake's AUTO timestamp formats beyond ISO that DuckDB's cast does not read.
          "CREATE OR REPLACE TEMP MACRO sf_text_timestamp(x) AS coalesce(TRY_CAST(x AS TIMESTAMP),"
              + " try_strptime(CAST(x AS VARCHAR), ['%d-%b-%Y', '%d-%b-%Y %H:%M:%S',"
              + " '%a, %d %b %Y %H:%M:%S']))",
          "CREATE OR REPLACE TEMP MACRO try_to_timestamp_ntz(x) AS"
              + " CASE WHEN typeof(x) IN ('TIMESTAMP', 'DATE') THEN TRY_CAST(x AS TIMESTAMP)"
              + " ELSE sf_text_timestamp(sf_scalar_text(x)) END",
          "CREATE OR REPLACE TEMP MACRO try_to_timestamp(x) AS try_to_timestamp_ntz(x)",
          // DuckDB's to_timestamp reads epoch seconds only; Snowflake's is TO_TIMESTAMP_NTZ here.
          "CREATE OR REPLACE TEMP MACRO to_timestamp(x) AS to_timestamp_ntz(x)",
          "CREATE OR REPLACE TEMP MACRO try_to_boolean(x) AS CASE"
              + " WHEN lower(trim(sf_scalar_text(x)))"
              + " IN ('true', 't', 'yes', 'y', 'on', '1') THEN true"
              + " WHEN lower(trim(sf_scalar_text(x)))"
              + " IN ('false', 'f', 'no', 'n', 'off', '0') THEN false END",
          "CREATE OR REPLACE TEMP MACRO to_char(x) AS to_varchar(x)",
          // CAST / TRY_CAST to VARCHAR(n): Snowflake refuses to truncate (100078) or gives NULL.
          "CREATE OR REPLACE TEMP MACRO "
              + SnowflakeType.CAST_TO_TEXT_MAX
              + "(x, n) AS CASE WHEN length("
              + SnowflakeType.CAST_TO_TEXT
              + "(x)) > n THEN error('"
              + TOO_LONG_MARKER
              + "String ''' || "
              + SnowflakeType.CAST_TO_TEXT
              + "(x) || ''' is too long and would be truncated') ELSE "
              + SnowflakeType.CAST_TO_TEXT
              + "(x) END",
          "CREATE OR REPLACE TEMP MACRO "
              + SnowflakeType.TRY_CAST_TO_TEXT_MAX
              + "(x, n) AS CASE WHEN length("
              + SnowflakeType.CAST_TO_TEXT
              + "(x)) <= n THEN "
              + SnowflakeType.CAST_TO_TEXT
              + "(x) END",
          // TO_CHAR(x, format): the translator has made the format a strftime pattern.
          "CREATE OR REPLACE TEMP MACRO sf_to_char(x DATE, f) AS strftime(x, f),"
              + " (x TIMESTAMP, f) AS strftime(x, f), (x TIMESTAMPTZ, f) AS strftime(x, f),"
              + " (x TIME, f) AS strftime(DATE '1970-01-01' + x, f),"
              + " (x, f) AS error('"
              + UNSUPPORTED_MARKER
              + "TO_CHAR with a format of a value that is not a date or time')",
          "CREATE OR REPLACE TEMP MACRO convert_timezone(tgt, x) AS"
              + " {'utc': struct_extract(to_timestamp_tz(x), 'utc'), 'tz_minutes':"
              + " CAST(date_diff('minute', timezone('UTC', struct_extract(to_timestamp_tz(x),"
              + " 'utc')), timezone(tgt, struct_extract(to_timestamp_tz(x), 'utc'))) AS SMALLINT)},"
              + " (src, tgt, x) AS timezone(tgt, timezone(src, CAST(x AS TIMESTAMP)))",
          // UUID_STRING(namespace, name) is an RFC 4122 version 5 (SHA-1) UUID.
          "CREATE OR REPLACE TEMP MACRO sf_uuid5(h) AS h[1:8] || '-' || h[9:12] || '-5'"
              + " || h[14:16] || '-' || substr('0123456789abcdef',"
              + " (((strpos('0123456789abcdef', h[17]) - 1) & 3) | 8) + 1, 1) || h[18:20] || '-'"
              + " || h[21:32]",
          "CREATE OR REPLACE TEMP MACRO uuid_string() AS CAST(uuid() AS VARCHAR),"
              + " (ns, name) AS sf_uuid5(lower(sha1(unhex(replace(ns, '-', '')) ||"
              + " encode(name))))",
          "CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_full_match(s, p)",
          // CHECK_JSON: NULL for valid JSON (and for NULL), else a description of the error.
          "CREATE OR REPLACE TEMP MACRO check_json(x) AS CASE WHEN x IS NULL OR json_valid(x)"
              + " THEN NULL ELSE 'invalid JSON' END",
          "CREATE OR REPLACE TEMP MACRO " + FunctionCalls.OBJECT + "(x) AS x",
          "CREATE OR REPLACE TEMP MACRO object_keys(x) AS to_json(json_keys(x))",
          "CREATE OR REPLACE TEMP MACRO sf_dateadd_calendar(part, n, x DATE) AS CAST(x + "
              + INTERVAL
              + " AS DATE), (part, n, x) AS dateadd(part, n, x)",
          "CREATE OR REPLACE TEMP MACRO sf_date_trunc(part, x DATE) AS"
              + " CAST(date_trunc(part, x) AS DATE), (part, x) AS date_trunc(part, x)",
          "CREATE OR REPLACE TEMP MACRO sf_epoch_second(part, x) AS"
              + " epoch_ms(CAST(x AS TIMESTAMP)) // 1000");

  private ConversionFunctions() {}

  /** The macros, which {@link DuckDbFunctions} installs on each connection. */
  static List<String> macros() {
    return MACROS;
  }
}
