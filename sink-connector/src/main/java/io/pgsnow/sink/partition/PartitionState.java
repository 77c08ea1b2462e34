package io.pgsnow.sink.partition;

import io.pgsnow.sink.buffer.FlushPolicy;
import io.pgsnow.sink.buffer.PartitionBuffer;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.naming.StageFileName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one topic partition holds between Kafka and the table: the open buffer, a sealed file
 * waiting for upload, and staged files waiting for their load outcome. It decides which offset may
 * be committed: never past a record whose row is not confirmed loaded (or whose failure is not
 * recorded). Pure and thread-safe.
 */
public final class PartitionState {

  private final String topic;
  private final int partition;
  private final String directory;
  private final PartitionBuffer buffer = new PartitionBuffer();
  private final TreeMap<Long, Tracked> files = new TreeMap<>();
  private SealedFile sealed;
  private long skipThrough = -1;
  private long lastOffset = -1;
  private boolean receivedSinceOpen;

  /** A staged file and its state. */
  public record Tracked(StageFileName name, FileState state, int records) {}

  public PartitionState(String topic, int partition, String directory) {
    this.topic = topic;
    this.partition = partition;
    this.directory = directory;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  /**
   * Takes over what recovery found in the stage and load history: records up to {@code skipThrough}
   * are already in files, and {@code pending} files still need their outcome.
   */
  public synchronized void recover(long skipThrough, List<Tracked> pending) {
    this.skipThrough = Math.max(this.skipThrough, skipThrough);
    for (Tracked t : pending) {
      files.put(t.name().startOffset(), t);
    }
  }

  /**
   * Whether a record at {@code offset} is new: not buffered before (a retried put) and not in a
   * file already (redelivery after a restart).
   */
  public synchronized boolean isNew(long offset) {
    if (!receivedSinceOpen) {
      receivedSinceOpen = true;
      // Kafka redelivers from the committed offset: files wholly before it were acknowledged.
      files.headMap(offset, false).values().removeIf(t -> t.name().endOffset() < offset);
    }
    if (offset <= skipThrough || offset <= lastOffset) {
      lastOffset = Math.max(lastOffset, offset);
      return false;
    }
    return true;
  }

  public synchronized void append(long offset, byte[] row, long nowNanos) {
    buffer.add(offset, row, nowNanos);
    lastOffset = offset;
  }

  /** Marks a record as handled without a row (skipped tombstone, reported bad record). */
  public synchronized void skip(long offset) {
    lastOffset = Math.max(lastOffset, offset);
  }

  /** Seals the buffer when the policy says so (or {@code force}) and no sealed file waits. */
  public synchronized Optional<SealedFile> sealIfDue(
      FlushPolicy policy, long nowNanos, boolean force) {
    if (sealed == null && !buffer.isEmpty()) {
      boolean due =
          force || policy.isDue(buffer.records(), buffer.rawBytes(), buffer.age(nowNanos));
      if (due) {
        sealed = buffer.seal();
      }
    }
    return Optional.ofNullable(sealed);
  }

  /** Whether the open buffer has reached its size limits (back-pressure on put). */
  public synchronized boolean isFull(FlushPolicy policy) {
    return policy.isFull(buffer.records(), buffer.rawBytes());
  }

  public synchronized Optional<SealedFile> sealed() {
    return Optional.ofNullable(sealed);
  }

  public StageFileName fileName(SealedFile file) {
    return StageFileName.of(directory, topic, file.startOffset(), file.endOffset());
  }

  /** The sealed file is in the stage. */
  public synchronized void uploaded(SealedFile file) {
    if (sealed == file) {
      sealed = null;
      files.put(file.startOffset(), new Tracked(fileName(file), FileState.STAGED, file.records()));
    }
  }

  public synchronized List<Tracked> files(FileState state) {
    return files.values().stream().filter(t -> t.state() == state).toList();
  }

  public synchronized void transition(StageFileName name, FileState state) {
    files.computeIfPresent(
        name.startOffset(),
        (k, t) -> t.name().equals(name) ? new Tracked(name, state, t.records()) : t);
  }

  /** The file is loaded, or its failure is recorded: its offsets are done. */
  public synchronized void done(StageFileName name) {
    Tracked t = files.get(name.startOffset());
    if (t != null && t.name().equals(name)) {
      files.remove(name.startOffset());
    }
  }

  /**
   * The offset to commit: the first offset not yet safely in the table, or empty when nothing was
   * received since the partition was opened.
   */
  public synchronized OptionalLong committableOffset() {
    if (!receivedSinceOpen) {
      return OptionalLong.empty();
    }
    long next = lastOffset + 1;
    Map.Entry<Long, Tracked> first = files.firstEntry();
    if (first != null) {
      next = Math.min(next, first.getKey());
    }
    if (sealed != null) {
      next = Math.min(next, sealed.startOffset());
    }
    if (!buffer.isEmpty()) {
      next = Math.min(next, buffer.startOffset());
    }
    return OptionalLong.of(next);
  }

  public synchronized int bufferedRecords() {
    return buffer.records() + (sealed == null ? 0 : sealed.records());
  }

  public synchronized Duration bufferAge(long nowNanos) {
    return buffer.age(nowNanos);
  }

  public synchronized List<Tracked> inFlight() {
    return new ArrayList<>(files.values());
  }

  public String directory() {
    return directory;
  }
}
