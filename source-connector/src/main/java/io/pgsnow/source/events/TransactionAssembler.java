package io.pgsnow.source.events;

import io.pgsnow.source.TableFilter;
import io.pgsnow.source.config.Operation;
import io.pgsnow.source.config.SchemaNameAdjustment;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.schema.ColumnTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the decoded pgoutput stream into source records in commit order. It tracks the current
 * transaction, buffers streamed in-progress transactions until they commit (and drops aborted
 * ones), keeps the table schemas announced by Relation messages, numbers every change within its
 * transaction so each record has an exact {@link SourcePosition}, and skips the records at or
 * before the position a restart resumes from.
 */
public final class TransactionAssembler {
  /** Receives each record; may block (back-pressure). */
  @FunctionalInterface
  public interface RecordSink {
    void accept(SourceRecord record) throws InterruptedException;
  }

  /**
   * The settings of the event shape. {@code topics} names each captured table's topic and refuses
   * tables whose topics would collide; it outlives a connection's assembler. {@code reselect}
   * (null: none) reads unchanged TOAST values; {@code transactionTopic} (null: none) is the topic
   * of the transaction metadata records, which also fill each event's {@code transaction} block.
   */
  public record Settings(
      String topicPrefix,
      TableFilter filter,
      Set<Operation> skipped,
      boolean tombstonesOnDelete,
      ColumnTypes columnTypes,
      PrimaryKeys primaryKeys,
      SourceInfo sourceInfo,
      long maxStreamedBytes,
      TopicAssignments topics,
      ToastReselect reselect,
      String transactionTopic) {

    /** Settings whose topics follow the default naming rules under {@code topicPrefix}. */
    public Settings(
        String topicPrefix,
        TableFilter filter,
        Set<Operation> skipped,
        boolean tombstonesOnDelete,
        ColumnTypes columnTypes,
        PrimaryKeys primaryKeys,
        SourceInfo sourceInfo,
        long maxStreamedBytes) {
      this(
          topicPrefix,
          filter,
          skipped,
          tombstonesOnDelete,
          columnTypes,
          primaryKeys,
          sourceInfo,
          maxStreamedBytes,
          new TopicAssignments(new TopicNamer(topicPrefix, SchemaNameAdjustment.AVRO)),
          null,
          null);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(TransactionAssembler.class);
  private static final int LARGE_TRANSACTION = 1 << 17;

  /** Counted per held change besides its column bytes: the decoded message and list entry. */
  private static final long CHANGE_OVERHEAD_BYTES = 96;

  private final Settings settings;
  private final Map<String, ?> partition;
  private final RecordSink sink;
  private final LongSupplier clock;
  private final Map<Integer, TableSchema> tables = new HashMap<>();

  /** Relations the filter includes; decided once per Relation message, not per change. */
  private final Map<Integer, Boolean> included = new HashMap<>();

  private final Map<Long, List<Buffered>> streamed = new HashMap<>();

  /** Null unless toast.handling.mode=reselect. */
  private final ToastReselection reselection;

  /** Null unless provide.transaction.metadata. */
  private final TransactionMetadata metadata;

  private long streamedBytes;
  private SourcePosition resumeAfter;

  private long txId;
  private long commitLsn;
  private long commitTimeMillis;
  private SourceInfo.Transaction transaction;
  private Long lastCommittedLsn;
  private long messageIndex;
  private boolean inTransaction;
  private long streamXid;
  private long lastCommitEndLsn;

  public TransactionAssembler(
      Settings settings, SourcePosition resumeAfter, RecordSink sink, LongSupplier clock) {
    this.settings = settings;
    this.partition = SourcePosition.partition(settings.topicPrefix());
    this.resumeAfter = resumeAfter;
    this.sink = sink;
    this.clock = clock;
    this.reselection =
        settings.reselect() == null ? null : new ToastReselection(settings.reselect());
    this.metadata =
        settings.transactionTopic() == null
            ? null
            : new TransactionMetadata(settings.transactionTopic());
  }

  /** The end LSN of the last transaction fully handled. */
  public long lastCommitEndLsn() {
    return lastCommitEndLsn;
  }

  /** Whether a transaction's changes are being received (including a streamed one's block). */
  public boolean inTransaction() {
    return inTransaction || streamXid != 0 || !streamed.isEmpty();
  }

  /** Handles one message; {@code lsn} is the WAL position the server sent it at. */
  public void accept(PgOutputMessage message, long lsn) throws InterruptedException {
    if (streamXid != 0 && bufferable(message)) {
      long xid = xidOf(message);
      List<Buffered> buffer = streamed.computeIfAbsent(streamXid, x -> new ArrayList<>());
      long bytes = CHANGE_OVERHEAD_BYTES + byteSize(message);
      streamedBytes += bytes;
      if (streamedBytes > settings.maxStreamedBytes()) {
        throw new StreamedTransactionTooLargeException(
            streamXid, streamedBytes, settings.maxStreamedBytes());
      }
      buffer.add(new Buffered(message, lsn, xid, bytes));
      if (Long.bitCount(buffer.size()) == 1 && buffer.size() >= LARGE_TRANSACTION) {
        // Held in the task's heap until the commit: say so as it grows (at 2^17, 2^18, ...).
        LOG.warn(
            "In-progress transaction {} holds {} changes in memory until it commits",
            streamXid,
            buffer.size());
      }
      return;
    }
    if (message instanceof PgOutputMessage.Begin b) {
      begin(b.xid(), b.finalLsn(), b.commitTimeMicros());
    } else if (message instanceof PgOutputMessage.Commit c) {
      commit(c.endLsn());
    } else if (message instanceof PgOutputMessage.StreamStart s) {
      streamXid = s.xid();
    } else if (message instanceof PgOutputMessage.StreamStop) {
      streamXid = 0;
    } else if (message instanceof PgOutputMessage.StreamCommit c) {
      streamCommit(c);
    } else if (message instanceof PgOutputMessage.StreamAbort a) {
      streamAbort(a);
    } else {
      handle(message, lsn);
    }
  }

  private static boolean bufferable(PgOutputMessage message) {
    return !(message instanceof PgOutputMessage.StreamStart
        || message instanceof PgOutputMessage.StreamStop
        || message instanceof PgOutputMessage.StreamCommit
        || message instanceof PgOutputMessage.StreamAbort);
  }

  private static long xidOf(PgOutputMessage message) {
    if (message instanceof PgOutputMessage.Insert m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Update m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Delete m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Truncate m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Relation m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Type m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.LogicalMessage m) {
      return m.xid();
    }
    return 0L;
  }

  private static long byteSize(PgOutputMessage message) {
    if (message instanceof PgOutputMessage.Insert m) {
      return m.newTuple().byteSize();
    } else if (message instanceof PgOutputMessage.Update m) {
      return m.newTuple().byteSize() + (m.oldTuple() == null ? 0 : m.oldTuple().byteSize());
    } else if (message instanceof PgOutputMessage.Delete m) {
      return m.oldTuple().byteSize();
    }
    return 0L;
  }

  private void begin(long xid, long finalLsn, long commitTimeMicros) throws InterruptedException {
    inTransaction = true;
    txId = xid;
    commitLsn = finalLsn;
    commitTimeMillis = Math.floorDiv(commitTimeMicros, 1000L);
    transaction = new SourceInfo.Transaction(xid, finalLsn, commitTimeMicros, lastCommittedLsn);
    messageIndex = 0;
    if (metadata != null) {
      metadata.begin(xid, finalLsn);
      // Before every event of the transaction (-1), after every heartbeat at its LSN (MIN_VALUE).
      transactionRecord(
          new SourcePosition(commitLsn, -1L, txId), metadata.beginValue(commitTimeMillis));
    }
  }

  private void commit(long endLsn) throws InterruptedException {
    releaseHeld();
    if (metadata != null) {
      transactionRecord(
          new SourcePosition(commitLsn, Long.MAX_VALUE, txId), metadata.endValue(commitTimeMillis));
    }
    inTransaction = false;
    lastCommitEndLsn = endLsn;
    lastCommittedLsn = endLsn;
    if (resumeAfter != null && Long.compareUnsigned(commitLsn, resumeAfter.commitLsn()) >= 0) {
      // Past the resume point: nothing further can be a replay.
      resumeAfter = null;
    }
  }

  /** A record of the transaction topic, unless a restart already sent it. */
  private void transactionRecord(SourcePosition position, Struct value)
      throws InterruptedException {
    if (replayed(position)) {
      return;
    }
    deliver(
        new SourceRecord(
            partition,
            position.toOffset(),
            metadata.topic(),
            null,
            TransactionMetadata.KEY_SCHEMA,
            metadata.key(),
            TransactionMetadata.VALUE_SCHEMA,
            value,
            commitTimeMillis),
        null,
        null);
  }

  /**
   * Hands a record on, or holds it behind records waiting for TOAST values; {@code reselect} (null
   * for other records) is the {@code after} image of a change, which may lack unchanged TOAST
   * values.
   */
  private void deliver(SourceRecord record, TableSchema t, ChangeEventBuilder.RowImage reselect)
      throws InterruptedException {
    List<String> key = reselect == null ? null : reselectKey(t, reselect);
    if (reselection == null || (key == null && !reselection.holding())) {
      sink.accept(record);
      return;
    }
    if (reselection.hold(record, t, key, key == null ? null : reselect.unchangedToastColumns())) {
      releaseHeld();
    }
  }

  /** The text of the row's replica identity when its unchanged TOAST values can be read. */
  private List<String> reselectKey(TableSchema t, ChangeEventBuilder.RowImage image) {
    int[] identity = t.identityColumns();
    if (reselection == null || image.unchangedToastColumns().isEmpty() || identity.length == 0) {
      return null;
    }
    List<String> key = new ArrayList<>(identity.length);
    for (int index : identity) {
      key.add(image.identityText(index));
    }
    return key.contains(null) ? null : key;
  }

  private void releaseHeld() throws InterruptedException {
    if (reselection != null && reselection.holding()) {
      for (SourceRecord record : reselection.release()) {
        sink.accept(record);
      }
    }
  }

  private void streamCommit(PgOutputMessage.StreamCommit c) throws InterruptedException {
    List<Buffered> changes = release(streamed.remove(c.xid()));
    begin(c.xid(), c.commitLsn(), c.commitTimeMicros());
    if (changes != null) {
      for (Buffered b : changes) {
        handle(b.message(), b.lsn());
      }
    }
    commit(c.endLsn());
  }

  private void streamAbort(PgOutputMessage.StreamAbort a) {
    if (a.xid() == a.subXid()) {
      release(streamed.remove(a.xid()));
      return;
    }
    List<Buffered> changes = streamed.get(a.xid());
    if (changes != null) {
      changes.removeIf(
          b -> {
            if (b.xid() != a.subXid()) {
              return false;
            }
            streamedBytes -= b.bytes();
            return true;
          });
    }
  }

  /** No longer counts a transaction's changes as held; returns them. */
  private List<Buffered> release(List<Buffered> changes) {
    if (changes != null) {
      for (Buffered b : changes) {
        streamedBytes -= b.bytes();
      }
    }
    return changes;
  }

  private void handle(PgOutputMessage message, long lsn) throws InterruptedException {
    if (message instanceof PgOutputMessage.Relation r) {
      boolean capture = settings.filter().includes(r.namespace(), r.name());
      included.put(r.relationId(), capture);
      if (capture) {
        // Tables not captured need no Connect schema (nor a catalog lookup of their key).
        tables.put(
            r.relationId(),
            TableSchema.of(
                r,
                settings.topics().assign(r.namespace(), r.name()),
                settings.columnTypes(),
                settings.primaryKeys(),
                settings.filter()));
      }
    } else if (message instanceof PgOutputMessage.Insert i) {
      long index = messageIndex++;
      TableSchema t = captured(i.relationId());
      if (t != null) {
        emitChange(
            t,
            null,
            reported(t, ChangeEventBuilder.row(t, i.newTuple(), null)),
            "c",
            lsn,
            index,
            0);
      }
    } else if (message instanceof PgOutputMessage.Update u) {
      update(u, lsn, messageIndex++);
    } else if (message instanceof PgOutputMessage.Delete d) {
      long index = messageIndex++;
      TableSchema t = captured(d.relationId());
      if (t != null) {
        emitDelete(t, reported(t, ChangeEventBuilder.row(t, d.oldTuple(), null)), lsn, index, 0);
      }
    } else if (message instanceof PgOutputMessage.Truncate tr) {
      truncate(tr, lsn, messageIndex++);
    }
    // Type, Origin and logical messages carry nothing to emit.
  }

  private void update(PgOutputMessage.Update u, long lsn, long index) throws InterruptedException {
    TableSchema t = captured(u.relationId());
    if (t == null) {
      return;
    }
    TupleData old = u.oldTuple();
    ChangeEventBuilder.RowImage after =
        reported(
            t,
            ChangeEventBuilder.row(t, u.newTuple(), old != null && !u.oldIsKeyOnly() ? old : null));
    ChangeEventBuilder.RowImage beforeImage =
        old == null ? null : reported(t, ChangeEventBuilder.row(t, old, null));
    Struct before = beforeImage == null ? null : beforeImage.struct();
    Struct newKey = ChangeEventBuilder.key(t, after.struct());
    if (before != null && !ChangeEventBuilder.sameKey(ChangeEventBuilder.key(t, before), newKey)) {
      // A primary key change is a delete of the old key and a create of the new one, so that
      // keyed consumers and compaction see both rows.
      emitDelete(t, beforeImage, lsn, index, 0);
      emitChange(t, null, after, "c", lsn, index, 2);
      return;
    }
    emitChange(t, before, after, "u", lsn, index, 0);
  }

  private void truncate(PgOutputMessage.Truncate tr, long lsn, long index)
      throws InterruptedException {
    if (settings.skipped().contains(Operation.TRUNCATE)) {
      return;
    }
    int sub = 0;
    for (int relationId : tr.relationIds()) {
      TableSchema t = tables.get(relationId);
      if (t != null) {
        emit(t, null, null, "t", lsn, index, sub, new ConnectHeaders(), null);
      }
      sub++;
    }
  }

  /** Counts and logs the image's values that their fields cannot hold. */
  private ChangeEventBuilder.RowImage reported(TableSchema t, ChangeEventBuilder.RowImage image) {
    image
        .specialValues()
        .forEach(
            (column, text) ->
                settings
                    .columnTypes()
                    .specialValues()
                    .report(t.schemaName(), t.tableName(), column, text));
    return image;
  }

  private TableSchema captured(int relationId) {
    Boolean capture = included.get(relationId);
    if (capture == null) {
      throw new IllegalStateException(
          "Change for relation " + relationId + " arrived before its Relation message");
    }
    return capture ? tables.get(relationId) : null;
  }

  private void emitChange(
      TableSchema t,
      Struct before,
      ChangeEventBuilder.RowImage after,
      String op,
      long lsn,
      long index,
      int sub)
      throws InterruptedException {
    emit(t, before, after.struct(), op, lsn, index, sub, ChangeEventBuilder.headers(after), after);
  }

  private void emitDelete(
      TableSchema t, ChangeEventBuilder.RowImage beforeImage, long lsn, long index, int sub)
      throws InterruptedException {
    if (settings.skipped().contains(Operation.DELETE)) {
      return;
    }
    Struct before = beforeImage.struct();
    Struct key = ChangeEventBuilder.key(t, before);
    ConnectHeaders headers = new ConnectHeaders();
    ChangeEventBuilder.addSpecialValues(headers, beforeImage);
    emit(t, before, null, "d", lsn, index, sub, headers, null);
    if (settings.tombstonesOnDelete() && key != null) {
      SourcePosition position = position(index, sub + 1);
      if (!replayed(position)) {
        deliver(
            new SourceRecord(
                partition,
                position.toOffset(),
                t.topic(),
                null,
                t.keySchema(),
                key,
                null,
                null,
                commitTimeMillis),
            t,
            null);
      }
    }
  }

  private void emit(
      TableSchema t,
      Struct before,
      Struct after,
      String op,
      long lsn,
      long index,
      int sub,
      ConnectHeaders headers,
      ChangeEventBuilder.RowImage reselect)
      throws InterruptedException {
    SourcePosition position = position(index, sub);
    if (skipped(op)) {
      return;
    }
    // Counted before the replay check, so that orders do not depend on where a restart resumed.
    Struct block = metadata == null ? null : metadata.next(t.schemaName(), t.tableName());
    if (replayed(position)) {
      return;
    }
    Struct key = ChangeEventBuilder.key(t, after != null ? after : before);
    Struct source =
        settings
            .sourceInfo()
            .streamed(t.schemaName(), t.tableName(), transaction, lsn, position.event());
    Struct value = ChangeEventBuilder.envelope(t, before, after, source, op, clock.getAsLong());
    if (block != null) {
      value.put("transaction", block);
    }
    deliver(
        new SourceRecord(
            partition,
            position.toOffset(),
            t.topic(),
            null,
            key == null ? null : t.keySchema(),
            key,
            t.envelopeSchema(),
            value,
            commitTimeMillis,
            headers),
        t,
        reselect);
  }

  /**
   * Skipping applies to the emitted operation, so a key change's delete and create follow d and c.
   */
  private boolean skipped(String op) {
    for (Operation skipped : settings.skipped()) {
      if (skipped.code().equals(op)) {
        return true;
      }
    }
    return false;
  }

  private SourcePosition position(long index, int sub) {
    return new SourcePosition(commitLsn, SourcePosition.event(index, sub), txId);
  }

  private boolean replayed(SourcePosition position) {
    return resumeAfter != null && position.compareTo(resumeAfter) <= 0;
  }

  private record Buffered(PgOutputMessage message, long lsn, long xid, long bytes) {}
}
