package io.pgsnow.emulator.engine;

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
          "CREATE OR REPLACE TEMP MACRO parse_json(x) AS json(x)",
          "CREATE OR REPLACE TEMP MACRO try_parse_json(x) AS"
              + " CASE WHEN json_valid(x) THEN json(x) END",
          "CREATE OR REPLACE TEMP MACRO to_variant(x) AS to_json(x)",
          "CREATE OR REPLACE TEMP MACRO iff(c, a, b) AS CASE WHEN c THEN a ELSE b END",
          "CREATE OR REPLACE TEMP MACRO nvl(a, b) AS coalesce(a, b)",
          "CREATE OR REPLACE TEMP MACRO zeroifnull(a) AS coalesce(a, 0)",
          "CREATE OR REPLACE TEMP MACRO array_size(x) AS json_array_length(x)",
          "CREATE OR REPLACE TEMP MACRO to_varchar(x) AS CAST(x AS VARCHAR)",
          "CREATE OR REPLACE TEMP MACRO to_binary(x) AS unhex(x)",
          "CREATE OR REPLACE TEMP MACRO to_number(x) AS CAST(x AS DECIMAL(38,0))",
          "CREATE OR REPLACE TEMP MACRO sysdate() AS CAST(now() AS TIMESTAMP)",
          "CREATE OR REPLACE TEMP MACRO to_timestamp_ntz(x) AS CASE WHEN x IS NULL THEN NULL"
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
          "CREATE OR REPLACE TEMP MACRO to_timestamp_ltz(x) AS"
              + " CAST(to_timestamp_ntz(x) AS TIMESTAMPTZ)",
          "CREATE OR REPLACE TEMP MACRO to_timestamp_tz(x) AS"
              + " CAST(to_timestamp_ntz(x) AS TIMESTAMPTZ)");

  private DuckDbFunctions() {}

  static void install(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (String macro : MACROS) {
        st.execute(macro);
      }
    }
  }
}
