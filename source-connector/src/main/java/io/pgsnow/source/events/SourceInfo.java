package io.pgsnow.source.events;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** The {@code source} block of the change event envelope, in Debezium's shape. */
public final class SourceInfo {
  public static final Schema SCHEMA =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("commit_lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("event_index", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private final String version;
  private final String serverName;
  private final String database;

  public SourceInfo(String version, String serverName, String database) {
    this.version = version;
    this.serverName = serverName;
    this.database = database;
  }

  /**
   * {@code sequence} is {@code ["<commit lsn>","<event>"]}: unique and ordered over the whole
   * stream, so a consumer can deduplicate replays. {@code commit_lsn} and {@code event_index} carry
   * the same position as numbers, so a consumer can order changes by them.
   */
  public Struct struct(
      String schema,
      String table,
      long commitTimeMillis,
      long txId,
      long lsn,
      long commitLsn,
      long event) {
    return new Struct(SCHEMA)
        .put("version", version)
        .put("connector", "postgresql")
        .put("name", serverName)
        .put("ts_ms", commitTimeMillis)
        .put("snapshot", "false")
        .put("db", database)
        .put("sequence", "[\"" + Long.toUnsignedString(commitLsn) + "\",\"" + event + "\"]")
        .put("schema", schema)
        .put("table", table)
        .put("txId", txId)
        .put("lsn", lsn)
        .put("commit_lsn", commitLsn)
        .put("event_index", event);
  }
}
