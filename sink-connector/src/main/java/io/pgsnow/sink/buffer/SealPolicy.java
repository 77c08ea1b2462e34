package io.pgsnow.sink.buffer;

import java.time.Duration;

/** When a partition's buffer becomes a file: by record count, raw bytes or age, whichever first. */
public record SealPolicy(int maxRecords, long maxBytes, Duration maxAge) {

  public boolean isFull(int records, long bytes) {
    return records >= maxRecords || bytes >= maxBytes;
  }

  public boolean isDue(int records, long bytes, Duration age) {
    return records > 0 && (isFull(records, bytes) || age.compareTo(maxAge) >= 0);
  }
}
