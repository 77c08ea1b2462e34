package io.pgsnow.source.events;

import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} block of the change event envelope, in the shape of Debezium 3.x's PostgreSQL
 * connector, followed by two pgsnow fields that give each event its exact place in the stream:
 * {@code commit_lsn} (the commit LSN of its transaction, or a snapshot's consistent LSN) and {@code
 * event_index} (its 0-based order within that transaction). Ordering by the pair orders events as
 * PostgreSQL committed them, which {@code lsn} alone does not.
 */
public final class SourceInfo {
  public static final String SCHEMA_NAME = "io.debezium.connector.postgresql.Source";

  /** The values of {@code source.snapshot}, Debezium's {@code SnapshotRecord} in its order. */
  public static final List<String> SNAPSHOT_VALUES =
      List.of(
          "true",
          "first",
          "first_in_data_collection",
          "last_in_data_collection",
          "last",
          "false",
          "incremental");

  public static final Schema SNAPSHOT_SCHEMA =
      SchemaBuilder.string()
          .name("io.debezium.data.Enum")
          .version(1)
          .parameter("allowed", String.join(",", SNAPSHOT_VALUES))
          .defaultValue("false")
          .optional()
          .build();

  public static final Schema SCHEMA =
      SchemaBuilder.struct()
          .name(SCHEMA_NAME)
          .version(1)
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", SNAPSHOT_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
          .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
          .field("commit_lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("event_index", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  // The fields, looked up once rather than by name for every event.
  public static final Field SNAPSHOT = SCHEMA.field("snapshot");
  public static final Field SEQUENCE = SCHEMA.field("sequence");
  public static final Field LSN = SCHEMA.field("lsn");
  public static final Field COMMIT_LSN = SCHEMA.field("commit_lsn");
  public static final Field EVENT_INDEX = SCHEMA.field("event_index");
  private static final Field VERSION = SCHEMA.field("version");
  private static final Field CONNECTOR = SCHEMA.field("connector");
  private static final Field NAME = SCHEMA.field("name");
  private static final Field TS_MS = SCHEMA.field("ts_ms");
  private static final Field DB = SCHEMA.field("db");
  private static final Field TS_US = SCHEMA.field("ts_us");
  private static final Field TS_NS = SCHEMA.field("ts_ns");
  private static final Field SCHEMA_FIELD = SCHEMA.field("schema");
  private static final Field TABLE = SCHEMA.field("table");
  private static final Field TX_ID = SCHEMA.field("txId");

  private final String version;
  private final String serverName;
  private final String database;

  /** The {@code sequence} of the snapshot rows last built: the same for all rows of a snapshot. */
  private volatile SnapshotSequence lastSnapshotSequence =
      new SnapshotSequence(0, snapshotSequence(0));

  private record SnapshotSequence(long lsn, String text) {}

  public SourceInfo(String version, String serverName, String database) {
    this.version = version;
    this.serverName = serverName;
    this.database = database;
  }

  /**
   * The block of a streamed change. {@code sequence} is Debezium's {@code ["<commit LSN of the last
   * committed transaction>","<lsn of this event>"]} (the first element null when no transaction was
   * committed before in this stream); {@code xmin} is always null, as with Debezium's default
   * {@code xmin.fetch.interval.ms=0}.
   */
  public Struct streamed(String schema, String table, Transaction tx, long lsn, long eventIndex) {
    return base(schema, table, tx.commitTimeMicros(), "false")
        .put(
            SEQUENCE,
            "[" + quotedLsn(tx.lastCommittedLsn()) + ",\"" + Long.toUnsignedString(lsn) + "\"]")
        .put(TX_ID, tx.txId())
        .put(LSN, lsn)
        .put(COMMIT_LSN, tx.commitLsn())
        .put(EVENT_INDEX, eventIndex);
  }

  /**
   * The block of a snapshot record: {@code snapshot} is one of {@link #SNAPSHOT_VALUES}, {@code
   * lsn} and {@code commit_lsn} are the snapshot's consistent LSN, {@code event_index} the row's
   * 0-based order in the snapshot, {@code txId} the snapshot transaction's id when known.
   */
  public Struct snapshot(
      String schema,
      String table,
      String snapshotMarker,
      long readTimeMicros,
      Long txId,
      long consistentLsn,
      long rowIndex) {
    if (!SNAPSHOT_VALUES.contains(snapshotMarker)) {
      throw new IllegalArgumentException("Not a snapshot marker: " + snapshotMarker);
    }
    SnapshotSequence sequence = lastSnapshotSequence;
    if (sequence.lsn() != consistentLsn) {
      sequence = new SnapshotSequence(consistentLsn, snapshotSequence(consistentLsn));
      lastSnapshotSequence = sequence;
    }
    Struct source = base(schema, table, readTimeMicros, snapshotMarker);
    if (txId != null) {
      source.put(TX_ID, txId);
    }
    return source
        .put(SEQUENCE, sequence.text())
        .put(LSN, consistentLsn)
        .put(COMMIT_LSN, consistentLsn)
        .put(EVENT_INDEX, rowIndex);
  }

  /** Debezium's {@code sequence} of a snapshot row consistent with {@code lsn}. */
  public static String snapshotSequence(long lsn) {
    return "[null,\"" + Long.toUnsignedString(lsn) + "\"]";
  }

  private Struct base(String schema, String table, long timeMicros, String snapshot) {
    return new Struct(SCHEMA)
        .put(VERSION, version)
        .put(CONNECTOR, "postgresql")
        .put(NAME, serverName)
        .put(TS_MS, Math.floorDiv(timeMicros, 1000L))
        .put(SNAPSHOT, snapshot)
        .put(DB, database)
        .put(TS_US, timeMicros)
        .put(TS_NS, timeMicros * 1000L)
        .put(SCHEMA_FIELD, schema)
        .put(TABLE, table);
  }

  private static String quotedLsn(Long lsn) {
    return lsn == null ? "null" : "\"" + Long.toUnsignedString(lsn) + "\"";
  }

  /**
   * The transaction an event belongs to: its id, commit LSN and commit time, and the end LSN of the
   * transaction committed before it (null when unknown).
   */
  public record Transaction(
      long txId, long commitLsn, long commitTimeMicros, Long lastCommittedLsn) {}
}
