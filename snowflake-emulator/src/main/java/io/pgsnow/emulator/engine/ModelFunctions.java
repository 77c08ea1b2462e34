package io.pgsnow.emulator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Snowflake functions the sink's generated models use that DuckDB lacks or names differently,
 * defined as connection-local macros next to {@link DuckDbFunctions}.
 */
final class ModelFunctions {

  private static final List<String> MACROS =
      List.of(
          // BASE64_DECODE_BINARY(text): Snowflake's standard alphabet, padding optional.
          "CREATE OR REPLACE TEMP MACRO base64_decode_binary(x) AS from_base64(x)",
          // STRIP_NULL_VALUE(variant): a JSON null becomes SQL NULL, anything else stays.
          "CREATE OR REPLACE TEMP MACRO strip_null_value(x) AS"
              + " CASE WHEN json_type(CAST(x AS JSON)) = 'NULL' THEN NULL ELSE CAST(x AS JSON) END");

  private ModelFunctions() {}

  static void install(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (String macro : MACROS) {
        st.execute(macro);
      }
    }
  }
}
