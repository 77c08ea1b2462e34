package io.pgsnow.sink.naming;

import java.util.Locale;

/**
 * Names of the objects the connector owns, as the official connector names them: {@code
 * SNOWFLAKE_KAFKA_CONNECTOR_<connector>_STAGE_<table>} and {@code ..._PIPE_<table>_<partition>}.
 */
public final class ObjectNames {

  private static final String PREFIX = "SNOWFLAKE_KAFKA_CONNECTOR_";

  private final String connector;

  /**
   * @param connectorName the Kafka Connect connector name; characters that cannot appear in an
   *     unquoted identifier become underscores ({@code lcc-prz15m} gives {@code LCC_PRZ15M})
   */
  public ObjectNames(String connectorName) {
    this.connector = connectorFragment(connectorName);
  }

  public static String connectorFragment(String connectorName) {
    return connectorName.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase(Locale.ROOT);
  }

  public String connector() {
    return connector;
  }

  public Identifier stage(Identifier table) {
    return Identifier.of(PREFIX + connector + "_STAGE_" + table.fragment());
  }

  /** One pipe per partition, the official layout. */
  public Identifier pipe(Identifier table, int partition) {
    return Identifier.of(PREFIX + connector + "_PIPE_" + table.fragment() + "_" + partition);
  }

  /** One pipe for all partitions of a table, which costs less per file. */
  public Identifier tablePipe(Identifier table) {
    return Identifier.of(PREFIX + connector + "_PIPE_" + table.fragment());
  }

  /** The table recording files Snowpipe could not load. */
  public Identifier errorTable() {
    return Identifier.of(PREFIX + connector + "_LOAD_ERRORS");
  }
}
