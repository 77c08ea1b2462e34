package io.pgsnow.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Commit-to-queryable latencies of one table: for each row id, the time its PostgreSQL commit
 * returned and the time a poll of the warehouse first saw it; percentiles by the nearest rank.
 */
final class Latencies {
  private final long[] millis;

  private Latencies(long[] millis) {
    this.millis = millis;
    Arrays.sort(this.millis);
  }

  /** Latencies of the ids committed and seen; ids not seen are left out (see {@link #count}). */
  static Latencies of(Map<Long, Long> committedAt, Map<Long, Long> seenAt) {
    return new Latencies(
        committedAt.entrySet().stream()
            .filter(e -> seenAt.containsKey(e.getKey()))
            .mapToLong(e -> seenAt.get(e.getKey()) - e.getValue())
            .toArray());
  }

  int count() {
    return millis.length;
  }

  /** The p-th percentile (0 < p ≤ 100), nearest rank, in ms. */
  long percentile(double p) {
    if (millis.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * millis.length);
    return millis[Math.max(0, Math.min(millis.length, rank) - 1)];
  }

  long max() {
    return millis.length == 0 ? -1 : millis[millis.length - 1];
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "rows %6d  p50 %7d ms  p95 %7d ms  p99 %7d ms  max %7d ms",
        count(),
        percentile(50),
        percentile(95),
        percentile(99),
        max());
  }
}
