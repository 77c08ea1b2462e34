package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.SnowflakeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Snowflake functions DuckDB lacks, defined as connection-local macros so the translator can pass
 * calls through unchanged. TO_TIMESTAMP_NTZ follows Snowflake's rule for integer strings: the
 * magnitude decides whether they count seconds, milliseconds, microseconds or nanoseconds.
 */
final class DuckDbFunctions {

  private static final String EPOCH_TEXT = "CAST(x AS VARCHAR)";
  // TRY_CAST: DuckDB folds constant CASE branches eagerly, so a plain CAST of a date string fails.
  private static final String EPOCH_NUMBER = "TRY_CAST(" + EPOCH_TEXT + " AS HUGEINT)";

  private static final List<String> MACROS =
      List.of(
          // json() rewrites a number (1.912e2 becomes 191.2); a number alone keeps its text, so
          // TYPEOF can tell a DOUBLE written with an exponent from a DECIMAL.
          "CREATE OR REPLACE TEMP MACRO parse_json(x) AS CASE WHEN json_type(json(x)) = 'DOUBLE'"
              + " THEN CAST(trim(CAST(x AS VARCHAR)) AS JSON) ELSE json(x) END",
          "CREATE OR REPLACE TEMP MACRO try_parse_json(x) AS"
              + " CASE WHEN json_valid(x) THEN parse_json(x) END",
          "CREATE OR REPLACE TEMP MACRO to_variant(x) AS to_json(x)",
          "CREATE OR REPLACE TEMP MACRO iff(c, a, b) AS CASE WHEN c THEN a ELSE b END",
          "CREATE OR REPLACE TEMP MACRO nvl(a, b) AS coalesce(a, b)",
          "CREATE OR REPLACE TEMP MACRO zeroifnull(a) AS coalesce(a, 0)",
          "CREATE OR REPLACE TEMP MACRO array_size(x) AS json_array_length(x)",
          // A VARIANT (DuckDB JSON) becomes text as Snowflake documents it: a string bare, not as
          // JSON text; JSON null is SQL NULL for a cast, the word null for TO_VARCHAR. typeof is
          // folded at bind time, so other types take a plain cast.
          "CREATE OR REPLACE TEMP MACRO "
              + SnowflakeType.CAST_TO_TEXT
              + "(x) AS CASE WHEN typeof(x) = 'JSON'"
              + " THEN json_extract_string(CAST(x AS VARCHAR), '$') ELSE CAST(x AS VARCHAR) END",
          "CREATE OR REPLACE TEMP MACRO to_varchar(x) AS CASE WHEN typeof(x) = 'JSON'"
              + " AND json_type(CAST(x AS VARCHAR)) = 'NULL' THEN 'null' ELSE "
              + SnowflakeType.CAST_TO_TEXT
              + "(x) END",
          "CREATE OR REPLACE TEMP MACRO to_binary(x) AS unhex(x)",
          "CREATE OR REPLACE TEMP MACRO to_number(x) AS CAST(x AS DECIMAL(38,0))",
          "CREATE OR REPLACE TEMP MACRO sysdate() AS CAST(now() AS TIMESTAMP)",
          // The translator writes DATEADD's part as a DuckDB part literal ('day', 'month', ...).
          "CREATE OR REPLACE TEMP MACRO dateadd(part, n, x) AS"
              + " x + CAST(CAST(n AS VARCHAR) || ' ' || part AS INTERVAL)",
          // TIMESTAMP_TZ values (see SnowflakeType) read as text: {'utc': '...+00', 'tz_minutes':
          // N}
          "CREATE OR REPLACE TEMP MACRO sf_tz_stored_utc(t) AS"
              + " TRY_CAST(regexp_extract(t, '''utc'': ''([^'']*)''', 1) AS TIMESTAMPTZ)",
          "CREATE OR REPLACE TEMP MACRO sf_tz_stored_minutes(t) AS"
              + " TRY_CAST(regexp_extract(t, '''tz_minutes'': (-?[0-9]+)', 1) AS SMALLINT)",
          "CREATE OR REPLACE TEMP MACRO to_timestamp_ntz(x) AS CASE WHEN x IS NULL THEN NULL"
              + " WHEN starts_with("
              + EPOCH_TEXT
              + ", '{') THEN CAST(timezone('UTC', sf_tz_stored_utc("
              + EPOCH_TEXT
              + ")) + to_minutes(CAST(sf_tz_stored_minutes("
              + EPOCH_TEXT
              + ") AS BIGINT)) AS TIMESTAMP)"
              + " WHEN regexp_full_match("
              + EPOCH_TEXT
              + ", '-?[0-9]+') THEN make_timestamp("
              + "CAST(CASE WHEN abs("
              + EPOCH_NUMBER
              + ") < 31536000000 THEN "
              + EPOCH_NUMBER
              + " * 1000000 WHEN abs("
              + EPOCH_NUMBER
              + ") < 31536000000000 THEN "
              + EPOCH_NUMBER
              + " * 1000 WHEN abs("
              + EPOCH_NUMBER
              + ") < 31536000000000000 THEN "
              + EPOCH_NUMBER
              + " ELSE "
              + EPOCH_NUMBER
              + " // 1000 END AS BIGINT))"
              + " ELSE CAST("
              + EPOCH_TEXT
              + " AS TIMESTAMP) END",
          // The offset written after a time of day: Z, +hh, +hhmm or +hh:mm ('' when none).
          "CREATE OR REPLACE TEMP MACRO sf_tz_offset_text(t) AS regexp_extract(t,"
              + " '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?\\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)$',"
              + " 3)",
          "CREATE OR REPLACE TEMP MACRO sf_tz_offset_minutes(o) AS CASE WHEN o IN ('', 'Z')"
              + " THEN 0 ELSE (CASE WHEN o[1] = '-' THEN -1 ELSE 1 END)"
              + " * (CAST(o[2:3] AS INTEGER) * 60"
              + " + coalesce(TRY_CAST(NULLIF(replace(o[4:], ':', ''), '') AS INTEGER), 0)) END",
          "CREATE OR REPLACE TEMP MACRO sf_tz_from_text(t, o) AS {'utc': timezone('UTC',"
              + " to_timestamp_ntz(rtrim(t[1:length(t) - length(o)]))"
              + " - to_minutes(CAST(sf_tz_offset_minutes(o) AS BIGINT))),"
              + " 'tz_minutes': CAST(sf_tz_offset_minutes(o) AS SMALLINT)}",
          "CREATE OR REPLACE TEMP MACRO to_timestamp_tz(x) AS CASE WHEN x IS NULL THEN NULL"
              + " WHEN starts_with(CAST(x AS VARCHAR), '{') THEN {'utc':"
              + " sf_tz_stored_utc(CAST(x AS VARCHAR)), 'tz_minutes':"
              + " sf_tz_stored_minutes(CAST(x AS VARCHAR))}"
              + " ELSE sf_tz_from_text(CAST(x AS VARCHAR), sf_tz_offset_text(CAST(x AS VARCHAR)))"
              + " END",
          // A TIMESTAMP_TZ becomes its instant as LTZ (and its wall-clock time as NTZ, above).
          "CREATE OR REPLACE TEMP MACRO to_timestamp_ltz(x) AS CASE WHEN"
              + " starts_with(CAST(x AS VARCHAR), '{') THEN sf_tz_stored_utc(CAST(x AS VARCHAR))"
              + " ELSE CAST(to_timestamp_ntz(x) AS TIMESTAMPTZ) END");

  private DuckDbFunctions() {}

  static void install(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      // Snowflake sessions here run in UTC; DuckDB would otherwise take the machine's zone.
      st.execute("SET TimeZone = 'UTC'");
      // Snowflake sorts NULL last ascending and first descending.
      st.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
      for (String macro : MACROS) {
        st.execute(macro);
      }
      for (String macro : ConversionFunctions.macros()) {
        st.execute(macro);
      }
      for (String macro : SemiStructuredFunctions.macros()) {
        st.execute(macro);
      }
      // A new connection starts in the root catalog, which holds the emulator's own tables.
      String rootCatalog;
      try (var rs = st.executeQuery("SELECT current_database()")) {
        rs.next();
        rootCatalog = rs.getString(1);
      }
      // CURRENT_DATABASE() / CURRENT_SCHEMA(): NULL when the session has none, which DuckDB
      // tells as the root catalog / a database's own main schema (SessionNamespace).
      st.execute(
          "CREATE OR REPLACE TEMP MACRO sf_current_database() AS CASE WHEN current_database() = '"
              + rootCatalog.replace("'", "''")
              + "' THEN NULL ELSE current_database() END");
      st.execute(
          "CREATE OR REPLACE TEMP MACRO sf_current_schema() AS CASE WHEN sf_current_database()"
              + " IS NULL OR current_schema() = 'main' THEN NULL ELSE current_schema() END");
      for (String macro : LoadHistoryFunctions.macros(rootCatalog)) {
        st.execute(macro);
      }
    }
    ModelFunctions.install(conn);
  }
}
