package io.pgsnow.testkit;

/**
 * Schemaless change events as the pgsnow source writes them (Debezium's envelope with {@code
 * source.commit_lsn} and {@code source.event_index}), for sink tests that produce them directly.
 */
public final class ChangeEventJson {
  private ChangeEventJson() {}

  /**
   * An event of {@code op} ('c', 'u', 'd', 'r') committed at {@code lsn}, the first of its
   * transaction; {@code after} and {@code before} are JSON objects or {@code "null"}.
   */
  public static String envelope(String table, String op, long lsn, String after, String before) {
    return "{\"before\":"
        + before
        + ",\"after\":"
        + after
        + ",\"op\":\""
        + op
        + "\",\"source\":{\"commit_lsn\":"
        + lsn
        + ",\"event_index\":0,\"table\":\""
        + table
        + "\"},\"ts_ms\":"
        + lsn
        + "}";
  }
}
