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
   * stream, so a consumer can deduplicate replays.
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
        .put("lsn", lsn);
  }

  /**
   * The source block of a snapshot row: {@code snapshot} is Debezium's marker ({@code first},
   * {@code true}, {@code last}, {@code incremental}); {@code lsn} is the stream position the row is
   * consistent with (the slot's consistent point, or a chunk's high watermark) and {@code event}
   * the row's ordinal there, so rows order against streamed changes.
   */
  public Struct snapshotStruct(
      String schema, String table, long readTimeMillis, String snapshot, long lsn, long event) {
    return new Struct(SCHEMA)
        .put("version", version)
        .put("connector", "postgresql")
        .put("name", serverName)
        .put("ts_ms", readTimeMillis)
        .put("snapshot", snapshot)
        .put("db", database)
        .put("sequence", "[\"" + Long.toUnsignedString(lsn) + "\",\"" + event + "\"]")
        .put("schema", schema)
        .put("table", table)
        .put("lsn", lsn);
  }
}
