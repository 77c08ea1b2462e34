package io.pgsnow.sink.ddl;

import io.pgsnow.sink.naming.Identifier;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL of the objects the connector owns. Every name goes through {@link Identifier#sql()}, so
 * the statements are safe whatever the topic is called; nothing here runs a statement.
 */
public final class DdlBuilder {

  public static final String METADATA_COLUMN = "RECORD_METADATA";
  public static final String CONTENT_COLUMN = "RECORD_CONTENT";

  private DdlBuilder() {}

  /** The official table shape: two VARIANT columns. */
  public static String createTable(Identifier table) {
    return "CREATE TABLE IF NOT EXISTS "
        + table.sql()
        + " ("
        + METADATA_COLUMN
        + " VARIANT, "
        + CONTENT_COLUMN
        + " VARIANT) COMMENT = 'created by the pgsnow Snowflake sink'";
  }

  /** A schematized table: metadata plus one typed column per field. */
  public static String createTypedTable(Identifier table, List<Column> columns) {
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(table.sql())
            .append(" (")
            .append(METADATA_COLUMN)
            .append(" VARIANT");
    for (Column c : columns) {
      sql.append(", ").append(c.name().sql()).append(' ').append(c.type());
    }
    return sql.append(") ENABLE_SCHEMA_EVOLUTION = TRUE").toString();
  }

  public static String addColumn(Identifier table, Column column) {
    return "ALTER TABLE "
        + table.sql()
        + " ADD COLUMN IF NOT EXISTS "
        + column.name().sql()
        + " "
        + column.type();
  }

  public static String createStage(Identifier stage) {
    return "CREATE STAGE IF NOT EXISTS "
        + stage.sql()
        + " COMMENT = 'created by the pgsnow Snowflake sink'";
  }

  public static String createPipe(Identifier pipe, Identifier table, Identifier stage) {
    return "CREATE PIPE IF NOT EXISTS " + pipe.sql() + " AS " + copyInto(table, stage);
  }

  public static String createSchematizedPipe(Identifier pipe, Identifier table, Identifier stage) {
    return "CREATE PIPE IF NOT EXISTS " + pipe.sql() + " AS " + schematizedCopy(table, stage);
  }

  /** The pipe's COPY: each file row is {@code {"meta": …, "content": …}}. */
  public static String copyInto(Identifier table, Identifier stage) {
    return "COPY INTO "
        + table.sql()
        + "("
        + METADATA_COLUMN
        + ", "
        + CONTENT_COLUMN
        + ") FROM (SELECT $1:meta, $1:content FROM @"
        + stage.sql()
        + " t) FILE_FORMAT = (TYPE = 'JSON')";
  }

  /** With schematization each file row holds the columns by name. */
  public static String schematizedCopy(Identifier table, Identifier stage) {
    return "COPY INTO "
        + table.sql()
        + " FROM @"
        + stage.sql()
        + " FILE_FORMAT = (TYPE = 'JSON') MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE";
  }

  public static String createErrorTable(Identifier table) {
    return "CREATE TABLE IF NOT EXISTS "
        + table.sql()
        + " (FILE_PATH VARCHAR, TARGET_TABLE VARCHAR, PIPE VARCHAR, TOPIC_TAG VARCHAR,"
        + " KAFKA_PARTITION NUMBER, START_OFFSET NUMBER, END_OFFSET NUMBER, STATUS VARCHAR,"
        + " ROWS_PARSED NUMBER, ROWS_LOADED NUMBER, FIRST_ERROR VARCHAR, RECORDED_AT VARCHAR)";
  }

  /** An idempotent insert of one failed file: a retry after a crash adds no second row. */
  public static String insertError(Identifier table) {
    return "INSERT INTO "
        + table.sql()
        + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1"
        + " FROM "
        + table.sql()
        + " WHERE FILE_PATH = ? AND PIPE = ?)";
  }

  /**
   * Whether a pipe definition (as {@code DESC PIPE} shows it) is the one this connector would
   * create; case and spacing are ignored.
   */
  public static boolean sameDefinition(String actual, String expected) {
    return normalize(actual).equals(normalize(expected));
  }

  private static String normalize(String sql) {
    return sql.replace("\"", "")
        .replaceAll("\\s+", " ")
        .replaceAll("\\s*([(),=])\\s*", "$1")
        .trim()
        .toUpperCase(Locale.ROOT);
  }

  /** A typed column of a schematized table. */
  public record Column(Identifier name, String type) {
    @Override
    public String toString() {
      return name.sql() + " " + type;
    }
  }

  public static String columnList(List<Column> columns) {
    return columns.stream().map(Column::toString).collect(Collectors.joining(", "));
  }
}
