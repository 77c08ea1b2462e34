package io.pgsnow.sink;

import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.PartitionState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/** Shared pieces of the sink's unit tests against {@link FakeSession} and {@link FakeSnowpipe}. */
final class UnitFixtures {

  static final SealPolicy POLICY = new SealPolicy(3, 1_000_000, Duration.ofSeconds(60));
  static final byte[] ROW = "{}".getBytes(StandardCharsets.UTF_8);
  private static final AtomicLong CONNECTORS = new AtomicLong();

  private UnitFixtures() {}

  static TopicPartition tp(int partition) {
    return new TopicPartition("orders", partition);
  }

  static Target target(int partition) {
    Identifier table = Identifier.of("ORDERS");
    String pipe = "PIPE_" + partition;
    return new Target(
        table,
        Identifier.of("STG"),
        Identifier.of(pipe),
        "DB.PUBLIC." + pipe,
        StageFileName.directory("C", table, partition));
  }

  static PartitionState state(int partition) {
    return new PartitionState("orders", partition, target(partition).directory());
  }

  /** Buffers rows for offsets {@code from} through {@code to}. */
  static void add(PartitionState state, long from, long to) {
    for (long o = from; o <= to; o++) {
      if (state.isNew(o)) {
        state.append(o, ROW, ROW.length, 0);
      }
    }
  }

  static SinkMetrics metrics() {
    return new SinkMetrics("unit-" + CONNECTORS.incrementAndGet());
  }

  /** A clock a test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
