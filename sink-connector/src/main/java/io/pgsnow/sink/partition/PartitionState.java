package io.pgsnow.sink.partition;

import io.pgsnow.sink.buffer.PartitionBuffer;
import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.naming.StageFileName;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one topic partition holds between Kafka and the table: the open buffer, sealed files waiting
 * for their upload (oldest first), and staged files waiting for their load outcome. It decides
 * which offset may be committed: never past a record whose row is not confirmed loaded (or whose
 * failure is not handled). Pure and thread-safe.
 *
 * <p>A file Snowpipe failed to load is <em>replayed</em>: its records are not kept in memory but
 * read from Kafka again (the task rewinds the partition to the file's first offset when Kafka has
 * already delivered past it), either into a new attempt of the same offset range (a transient
 * failure) or to the errant record reporter (the data's fault). Until then the failed file holds
 * the committable offset at its start.
 */
public final class PartitionState {

  private final String topic;
  private final int partition;
  private final String directory;
  private final PartitionBuffer buffer = new PartitionBuffer();
  private final TreeMap<Long, Tracked> files = new TreeMap<>();
  private final TreeMap<Long, Replay> replays = new TreeMap<>();
  private final Map<Long, Integer> retries = new HashMap<>();
  private final List<SealedFile> resealed = new ArrayList<>();
  private final ArrayDeque<SealedFile> sealed = new ArrayDeque<>();
  private boolean closed;
  private long skipThrough = -1;
  private long lastOffset = -1;
  private long position = -1;
  private boolean receivedSinceOpen;

  /** A staged file and its state. */
  public record Tracked(StageFileName name, FileState state, int records) {}

  /** What a replay does with its records. */
  public enum ReplayKind {
    /** Write them into the next attempt of the failed range. */
    RELOAD,
    /** Report them as errant records. */
    REPORT
  }

  /** A failed file's offset range whose records Kafka delivers again. */
  public static final class Replay {
    private final StageFileName failed;
    private final ReplayKind kind;
    private final long dueNanos;
    private final PartitionBuffer rows = new PartitionBuffer();
    private boolean armed;
    private boolean complete;
    private long through;

    private Replay(StageFileName failed, ReplayKind kind, long dueNanos) {
      this.failed = failed;
      this.kind = kind;
      this.dueNanos = dueNanos;
      this.through = failed.startOffset() - 1;
    }

    public StageFileName failed() {
      return failed;
    }

    public ReplayKind kind() {
      return kind;
    }
  }

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
   * file already (redelivery after a restart or a rewind).
   */
  public synchronized boolean isNew(long offset) {
    received(offset);
    if (offset <= skipThrough || offset <= lastOffset) {
      lastOffset = Math.max(lastOffset, offset);
      return false;
    }
    return true;
  }

  private void received(long offset) {
    if (!receivedSinceOpen) {
      receivedSinceOpen = true;
      // Kafka redelivers from the committed offset: files wholly before it were acknowledged.
      files.headMap(offset, false).values().removeIf(t -> t.name().endOffset() < offset);
    }
    position = offset + 1;
  }

  /**
   * The armed replay that takes the record at {@code offset}, if any; call before {@link #isNew}. A
   * replay whose range Kafka has passed without delivering its last offset is complete.
   */
  public synchronized Optional<Replay> replayFor(long offset) {
    received(offset);
    if (replays.isEmpty()) {
      return Optional.empty();
    }
    Replay taker = null;
    for (Replay r : new ArrayList<>(replays.values())) {
      if (!r.armed || r.complete) {
        continue;
      }
      if (offset > r.failed.endOffset()) {
        complete(r);
      } else if (offset >= r.failed.startOffset() && offset > r.through) {
        taker = r;
      }
    }
    return Optional.ofNullable(taker);
  }

  /** The replay's record at {@code offset} is handled without a row (reported, or not a row). */
  public synchronized void replayed(Replay r, long offset) {
    r.through = Math.max(r.through, offset);
    if (offset >= r.failed.endOffset()) {
      complete(r);
    }
  }

  /**
   * The replay's record at {@code offset} is a row ({@code length} bytes of {@code row}) of the
   * next attempt.
   */
  public synchronized void replayed(Replay r, long offset, byte[] row, int length, long nowNanos) {
    r.rows.add(offset, row, length, nowNanos);
    replayed(r, offset);
  }

  private void complete(Replay r) {
    if (r.complete) {
      return;
    }
    r.complete = true;
    if (r.kind == ReplayKind.REPORT) {
      return;
    }
    replays.remove(r.failed.startOffset());
    if (r.rows.isEmpty()) {
      // Nothing of the range is left in Kafka (compacted away): no row to load.
      done(r.failed);
      return;
    }
    StageFileName next = r.failed.nextAttempt();
    resealed.add(r.rows.seal().asAttempt(next.startOffset(), next.endOffset(), next.attempt()));
  }

  /**
   * Starts replays that are due. A replay whose records Kafka delivers next needs nothing more;
   * when Kafka has delivered past its range and {@code mayRewind}, the offset returned is where the
   * consumer must go back to, and the caller must rewind it before any other record arrives.
   */
  public synchronized OptionalLong armDue(long nowNanos, boolean mayRewind) {
    if (replays.isEmpty()) {
      return OptionalLong.empty();
    }
    long rewindTo = Long.MAX_VALUE;
    for (Replay r : replays.values()) {
      if (r.armed || nowNanos - r.dueNanos < 0 || position < 0) {
        continue;
      }
      long next = r.through + 1;
      if (position <= next) {
        r.armed = true;
      } else if (mayRewind) {
        r.armed = true;
        rewindTo = Math.min(rewindTo, next);
      }
    }
    if (rewindTo == Long.MAX_VALUE) {
      return OptionalLong.empty();
    }
    position = rewindTo;
    return OptionalLong.of(rewindTo);
  }

  /** Whether a replay waits for its time or for a rewind. */
  public synchronized boolean hasUnarmedReplays() {
    return replays.values().stream().anyMatch(r -> !r.armed);
  }

  /**
   * A failed file whose records go into its next attempt once {@code dueNanos} is reached.
   *
   * @return how many times this range has been retried in this run, this time included
   */
  public synchronized int retry(StageFileName failed, long dueNanos) {
    transition(failed, FileState.RETRYING);
    replays.put(failed.startOffset(), new Replay(failed, ReplayKind.RELOAD, dueNanos));
    return retries.merge(failed.startOffset(), 1, Integer::sum);
  }

  /** How many times the range starting at {@code start} has been retried in this run. */
  public synchronized int retries(long start) {
    return retries.getOrDefault(start, 0);
  }

  /** A failed file whose records are reported as errant, starting now. */
  public synchronized void report(StageFileName failed, long nowNanos) {
    transition(failed, FileState.REPORTING);
    replays.put(failed.startOffset(), new Replay(failed, ReplayKind.REPORT, nowNanos));
  }

  /**
   * Reported files whose every record has been handed to the reporter; the caller makes sure the
   * reports are acknowledged before it marks them {@link #done}.
   */
  public synchronized List<StageFileName> reportedFiles() {
    List<StageFileName> out = new ArrayList<>();
    for (Replay r : replays.values()) {
      if (r.kind == ReplayKind.REPORT && r.complete) {
        out.add(r.failed);
      }
    }
    return out;
  }

  /** Buffers the first {@code length} bytes of {@code row} as the record at {@code offset}. */
  public synchronized void append(long offset, byte[] row, int length, long nowNanos) {
    buffer.add(offset, row, length, nowNanos);
    lastOffset = offset;
  }

  /** Marks a record as handled without a row (skipped tombstone, reported bad record). */
  public synchronized void skip(long offset) {
    lastOffset = Math.max(lastOffset, offset);
  }

  /**
   * Seals the buffer into a file waiting for its upload when the policy says so (or {@code force}
   * and the buffer is not empty).
   *
   * @return the file sealed now, if any
   */
  public synchronized Optional<SealedFile> sealIfDue(
      SealPolicy policy, long nowNanos, boolean force) {
    if (closed || buffer.isEmpty()) {
      return Optional.empty();
    }
    if (!force && !policy.isDue(buffer.records(), buffer.rawBytes(), buffer.age(nowNanos))) {
      return Optional.empty();
    }
    SealedFile file = buffer.seal();
    sealed.addLast(file);
    return Optional.of(file);
  }

  /**
   * When the open buffer falls due by age, in {@link System#nanoTime} terms, or empty when nothing
   * is buffered.
   */
  public synchronized OptionalLong dueNanos(SealPolicy policy) {
    return buffer.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(buffer.firstArrivalNanos() + policy.maxAge().toNanos());
  }

  /** Files of replayed ranges waiting for their upload. */
  public synchronized List<SealedFile> resealed() {
    return List.copyOf(resealed);
  }

  /** Whether the open buffer has reached its size limits (back-pressure on put). */
  public synchronized boolean isFull(SealPolicy policy) {
    return policy.isFull(buffer.records(), buffer.rawBytes());
  }

  /** The oldest sealed file waiting for its upload, else a file of a replayed range, if any. */
  public synchronized Optional<SealedFile> nextUpload() {
    if (closed) {
      return Optional.empty();
    }
    if (!sealed.isEmpty()) {
      return Optional.of(sealed.peekFirst());
    }
    return resealed.isEmpty() ? Optional.empty() : Optional.of(resealed.get(0));
  }

  /** Sealed files waiting for their upload (not counting files of replayed ranges). */
  public synchronized int sealedFiles() {
    return sealed.size();
  }

  /**
   * The partition is no longer this task's: its sealed files are dropped (Kafka delivers their
   * records again to the next owner) and nothing is sealed or uploaded any more.
   *
   * @return how many sealed files were dropped
   */
  public synchronized int close() {
    closed = true;
    int dropped = sealed.size();
    sealed.clear();
    resealed.clear();
    buffer.discard();
    return dropped;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Bytes of gzip held in memory: the open buffer and the files waiting for their upload. */
  public synchronized long heldBytes() {
    long held = buffer.heldBytes();
    for (SealedFile f : sealed) {
      held += f.gzip().length;
    }
    for (SealedFile f : resealed) {
      held += f.gzip().length;
    }
    return held;
  }

  public StageFileName fileName(SealedFile file) {
    return StageFileName.of(directory, topic, file.startOffset(), file.endOffset())
        .withAttempt(file.attempt());
  }

  /**
   * The sealed file (or the file of a replayed range) is in the stage.
   *
   * @return whether it was a sealed file (rather than a replayed range's, or one no longer held)
   */
  public synchronized boolean uploaded(SealedFile file) {
    if (sealed.peekFirst() == file) {
      sealed.removeFirst();
      files.put(file.startOffset(), new Tracked(fileName(file), FileState.STAGED, file.records()));
      return true;
    }
    if (resealed.removeIf(f -> f == file)) {
      files.put(file.startOffset(), new Tracked(fileName(file), FileState.STAGED, file.records()));
    }
    return false;
  }

  public synchronized List<Tracked> files(FileState state) {
    return files.values().stream().filter(t -> t.state() == state).toList();
  }

  public synchronized void transition(StageFileName name, FileState state) {
    files.computeIfPresent(
        name.startOffset(),
        (k, t) -> t.name().equals(name) ? new Tracked(name, state, t.records()) : t);
  }

  /** The file is loaded, or its failure is handled: its offsets are done. */
  public synchronized void done(StageFileName name) {
    Tracked t = files.get(name.startOffset());
    if (t != null && t.name().equals(name)) {
      files.remove(name.startOffset());
      retries.remove(name.startOffset());
      Replay r = replays.get(name.startOffset());
      if (r != null && r.failed.equals(name)) {
        replays.remove(name.startOffset());
      }
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
    if (!sealed.isEmpty()) {
      next = Math.min(next, sealed.peekFirst().startOffset());
    }
    if (!buffer.isEmpty()) {
      next = Math.min(next, buffer.startOffset());
    }
    return OptionalLong.of(next);
  }

  public synchronized int bufferedRecords() {
    int replayed = replays.values().stream().mapToInt(r -> r.rows.records()).sum();
    int waiting = sealed.stream().mapToInt(SealedFile::records).sum();
    return buffer.records() + waiting + replayed;
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
