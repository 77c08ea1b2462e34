package io.pgsnow.emulator.engine;

import java.util.List;

/**
 * Snowflake's load history as table macros over the emulator's own record of every load (COPY INTO
 * and Snowpipe alike, see {@link MetadataStore#recordLoad}): the table function
 * INFORMATION_SCHEMA.COPY_HISTORY and the view INFORMATION_SCHEMA.LOAD_HISTORY, with the columns
 * and status words of https://docs.snowflake.com/en/sql-reference/functions/copy_history and
 * https://docs.snowflake.com/en/sql-reference/info-schema/load_history. Both keep 14 days.
 */
final class LoadHistoryFunctions {

  private LoadHistoryFunctions() {}

  /** The macros, reading the history table in {@code rootCatalog}. */
  static List<String> macros(String rootCatalog) {
    String history = "\"" + rootCatalog.replace("\"", "\"\"") + "\".emulator_meta.load_history";
    String loadTime = "CAST(epoch_ms(last_insert_time) AS TIMESTAMPTZ)";
    String recent = loadTime + " >= now() - INTERVAL 14 DAY";
    return List.of(
        "CREATE OR REPLACE TEMP MACRO sf_copy_history(db, sch, tbl, start_time, end_time, p_db,"
            + " p_sch, p_name) AS TABLE"
            + " SELECT path AS FILE_NAME, stage_location AS STAGE_LOCATION, "
            + loadTime
            + " AS LAST_LOAD_TIME, rows_loaded AS ROW_COUNT, rows_parsed AS ROW_PARSED,"
            + " file_size AS FILE_SIZE, first_error AS FIRST_ERROR_MESSAGE,"
            + " first_error_line AS FIRST_ERROR_LINE_NUMBER,"
            + " CAST(NULL AS BIGINT) AS FIRST_ERROR_CHARACTER_POS,"
            + " CAST(NULL AS VARCHAR) AS FIRST_ERROR_COLUMN_NAME, errors_seen AS ERROR_COUNT,"
            + " CAST(1 AS BIGINT) AS ERROR_LIMIT,"
            + " CASE status WHEN 'LOADED' THEN 'Loaded' WHEN 'LOAD_FAILED' THEN 'Load failed'"
            + " ELSE 'Partially loaded' END AS STATUS, table_db AS TABLE_CATALOG_NAME,"
            + " table_schema AS TABLE_SCHEMA_NAME, table_name AS TABLE_NAME,"
            + " pipe_db AS PIPE_CATALOG_NAME, pipe_schema AS PIPE_SCHEMA_NAME,"
            + " pipe_name AS PIPE_NAME, CASE WHEN pipe_name IS NOT NULL"
            + " THEN CAST(epoch_ms(time_received) AS TIMESTAMPTZ) END AS PIPE_RECEIVED_TIME,"
            + " CASE WHEN pipe_name IS NOT NULL THEN "
            + loadTime
            + " END AS FIRST_COMMIT_TIME FROM "
            + history
            + " WHERE table_db = coalesce(db, current_database())"
            + " AND table_schema = coalesce(sch, current_schema()) AND table_name = tbl AND "
            + recent
            + " AND "
            + loadTime
            + " >= start_time AND "
            + loadTime
            + " <= coalesce(end_time, now()) AND (p_name IS NULL OR (pipe_name = p_name"
            + " AND pipe_schema = coalesce(p_sch, current_schema())"
            + " AND pipe_db = coalesce(p_db, current_database()))) ORDER BY seq",
        "CREATE OR REPLACE TEMP MACRO sf_load_history(db) AS TABLE"
            + " SELECT table_schema AS SCHEMA_NAME, path AS FILE_NAME, table_name AS TABLE_NAME, "
            + loadTime
            + " AS LAST_LOAD_TIME, CASE status WHEN 'LOADED' THEN 'LOADED'"
            + " WHEN 'LOAD_FAILED' THEN 'LOAD FAILED' ELSE 'PARTIALLY LOADED' END AS STATUS,"
            + " rows_loaded AS ROW_COUNT, rows_parsed AS ROW_PARSED,"
            + " first_error AS FIRST_ERROR_MESSAGE, first_error_line AS FIRST_ERROR_LINE_NUMBER,"
            + " CAST(NULL AS BIGINT) AS FIRST_ERROR_CHARACTER_POSITION,"
            + " CAST(NULL AS VARCHAR) AS FIRST_ERROR_COL_NAME, errors_seen AS ERROR_COUNT,"
            + " CAST(1 AS BIGINT) AS ERROR_LIMIT FROM "
            + history
            + " WHERE pipe_name IS NULL AND table_name IS NOT NULL"
            + " AND table_db = coalesce(db, current_database()) AND "
            + recent
            + " ORDER BY seq");
  }
}
