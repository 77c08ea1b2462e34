package io.pgsnow.source.events;

import io.pgsnow.source.config.Operation;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.schema.ColumnTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

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
      String transactionTopic) {}

  private final Settings settings;
  private final Map<String, ?> partition;
  private final RecordSink sink;
  private final LongSupplier clock;
  private final Map<Integer, TableSchema> tables = new HashMap<>();

  /** Relations the filter includes; decided once per Relation message, not per change. */
  private final Map<Integer, Boolean> included = new HashMap<>();

  private final StreamedTransactions streamed;

  /** Null unless toast.handling.mode=reselect. */
  private final ToastReselection reselection;

  /** Null unless provide.transaction.metadata. */
  private final TransactionMetadata metadata;

  private SourcePosition resumeAfter;

  private long txId;
  private long commitLsn;
  private long commitTimeMillis;
  private SourceInfo.Transaction transaction;
  private Long lastCommittedLsn;
  private long messageIndex;
  private boolean inTransaction;
  private long lastCommitEndLsn;

  public TransactionAssembler(
      Settings settings, SourcePosition resumeAfter, RecordSink sink, LongSupplier clock) {
    this.settings = settings;
    this.partition = SourcePosition.partition(settings.topicPrefix());
    this.resumeAfter = resumeAfter;
    this.sink = sink;
    this.clock = clock;
    this.streamed = new StreamedTransactions(settings.maxStreamedBytes());
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
    return inTransaction || streamed.active();
  }

  /** Handles one message; {@code lsn} is the WAL position the server sent it at. */
  public void accept(PgOutputMessage message, long lsn) throws InterruptedException {
    if (streamed.hold(message, lsn)) {
      return;
    }
    if (message instanceof PgOutputMessage.Begin b) {
      begin(b.xid(), b.finalLsn(), b.commitTimeMicros());
    } else if (message instanceof PgOutputMessage.Commit c) {
      commit(c.endLsn());
    } else if (message instanceof PgOutputMessage.StreamStart s) {
      streamed.start(s.xid());
    } else if (message instanceof PgOutputMessage.StreamStop) {
      streamed.stop();
    } else if (message instanceof PgOutputMessage.StreamCommit c) {
      streamCommit(c);
    } else if (message instanceof PgOutputMessage.StreamAbort a) {
      streamed.abort(a.xid(), a.subXid());
    } else {
      handle(message, lsn);
    }
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
        record(
            position,
            metadata.topic(),
            TransactionMetadata.KEY_SCHEMA,
            metadata.key(),
            TransactionMetadata.VALUE_SCHEMA,
            value,
            null),
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
    List<String> key =
        reselect == null || reselection == null ? null : ToastReselection.keyOf(t, reselect);
    if (reselection == null || (key == null && !reselection.holding())) {
      sink.accept(record);
      return;
    }
    if (reselection.hold(record, t, key, key == null ? null : reselect.unchangedToastColumns())) {
      releaseHeld();
    }
  }

  private void releaseHeld() throws InterruptedException {
    if (reselection != null && reselection.holding()) {
      for (SourceRecord record : reselection.release()) {
        sink.accept(record);
      }
    }
  }

  private void streamCommit(PgOutputMessage.StreamCommit c) throws InterruptedException {
    List<StreamedTransactions.Buffered> changes = streamed.commit(c.xid());
    begin(c.xid(), c.commitLsn(), c.commitTimeMicros());
    if (changes != null) {
      for (StreamedTransactions.Buffered b : changes) {
        handle(b.message(), b.lsn());
      }
    }
    commit(c.endLsn());
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
        deliver(record(position, t.topic(), t.keySchema(), key, null, null, null), t, null);
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
        record(
            position,
            t.topic(),
            key == null ? null : t.keySchema(),
            key,
            t.envelopeSchema(),
            value,
            headers),
        t,
        reselect);
  }

  /** A record of this transaction's commit at {@code position}, stamped with the commit time. */
  private SourceRecord record(
      SourcePosition position,
      String topic,
      Schema keySchema,
      Object key,
      Schema valueSchema,
      Object value,
      ConnectHeaders headers) {
    return new SourceRecord(
        partition,
        position.toOffset(),
        topic,
        null,
        keySchema,
        key,
        valueSchema,
        value,
        commitTimeMillis,
        headers);
  }

  /**
   * Skipping applies to the emitted operation, so a key change's delete and create follow d and c.
   */
  private boolean skipped(String op) {
    return settings.skipped().stream().anyMatch(skipped -> skipped.code().equals(op));
  }

  private SourcePosition position(long index, int sub) {
    return new SourcePosition(commitLsn, SourcePosition.event(index, sub), txId);
  }

  private boolean replayed(SourcePosition position) {
    return resumeAfter != null && position.compareTo(resumeAfter) <= 0;
  }
}
