package io.pgsnow.sink.buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/**
 * Rows of one partition compressed as they arrive, so memory holds the gzip output rather than the
 * records. Not thread-safe: its owner serializes access.
 */
public final class PartitionBuffer {

  private ByteArrayOutputStream bytes;
  private GZIPOutputStream gzip;
  private int records;
  private long rawBytes;
  private long startOffset = -1;
  private long endOffset = -1;
  private long firstArrivalNanos;

  public void add(long offset, byte[] row, long nowNanos) {
    add(offset, row, row.length, nowNanos);
  }

  /** Adds the first {@code length} bytes of {@code row} as one line. */
  public void add(long offset, byte[] row, int length, long nowNanos) {
    try {
      if (records == 0) {
        bytes = new ByteArrayOutputStream(8192);
        gzip = new GZIPOutputStream(bytes, 8192);
        startOffset = offset;
        firstArrivalNanos = nowNanos;
      }
      gzip.write(row, 0, length);
      gzip.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    records++;
    rawBytes += length + 1;
    endOffset = offset;
  }

  public boolean isEmpty() {
    return records == 0;
  }

  public int records() {
    return records;
  }

  public long rawBytes() {
    return rawBytes;
  }

  /** Offset of the oldest buffered record, or -1 when empty. */
  public long startOffset() {
    return startOffset;
  }

  /** When the oldest buffered record arrived ({@link System#nanoTime}); meaningless when empty. */
  public long firstArrivalNanos() {
    return firstArrivalNanos;
  }

  /** Bytes of gzip output held so far (the stream's own buffers aside). */
  public long heldBytes() {
    return bytes == null ? 0 : bytes.size();
  }

  public Duration age(long nowNanos) {
    return records == 0 ? Duration.ZERO : Duration.ofNanos(nowNanos - firstArrivalNanos);
  }

  /** Closes the buffer into a file and starts a new, empty one. */
  public SealedFile seal() {
    if (records == 0) {
      throw new IllegalStateException("Nothing to seal");
    }
    try {
      gzip.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SealedFile file =
        new SealedFile(startOffset, endOffset, records, rawBytes, bytes.toByteArray());
    discard();
    return file;
  }

  /** Drops everything buffered (the partition was revoked; Kafka will redeliver it). */
  public void discard() {
    bytes = null;
    gzip = null;
    records = 0;
    rawBytes = 0;
    startOffset = -1;
    endOffset = -1;
  }
}
