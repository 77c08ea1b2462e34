package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.sink.partition.PartitionState;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Partitions prepared at open, in parallel; put() waits for the one it needs. */
class OpeningPartitionsTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private final OpeningPartitions opening = new OpeningPartitions("test");
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    opening.close();
  }

  private static PartitionState state(TopicPartition tp) {
    return new PartitionState(tp.topic(), tp.partition(), "C/T/" + tp.partition());
  }

  /** A preparation that ends only when the test releases it. */
  private Supplier<PartitionState> held(TopicPartition tp, CountDownLatch entered) {
    return () -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return state(tp);
    };
  }

  private static Supplier<PartitionState> never() {
    return () -> {
      throw new AssertionError("prepared on the task's thread");
    };
  }

  @Test
  void partitionsArePreparedInParallelAndPutWaitsOnlyForItsOwn() throws Exception {
    CountDownLatch allEntered = new CountDownLatch(OpeningPartitions.PARALLELISM);
    for (int p = 2; p < 2 + OpeningPartitions.PARALLELISM; p++) {
      TopicPartition tp = new TopicPartition("t", p);
      opening.open(tp, held(tp, allEntered));
    }
    assertThat(allEntered.await(30, TimeUnit.SECONDS)).isTrue();

    // P1 is queued behind the held ones; waiting for it releases them all.
    PartitionState ready = state(P1);
    opening.open(P1, () -> ready);
    release.countDown();
    assertThat(opening.await(P1, never())).isSameAs(ready);
  }

  @Test
  void aPartitionRevokedWhilePreparedDropsThatPreparation() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    opening.open(P0, held(P0, entered));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    opening.revoke(List.of(P0));

    // Reopened: the new preparation's state, while the revoked one still runs.
    PartitionState reopened = state(P0);
    opening.open(P0, () -> reopened);
    assertThat(opening.await(P0, never())).isSameAs(reopened);

    // Revoked again and never reopened: prepared on the task's thread if asked for.
    opening.open(P0, held(P0, new CountDownLatch(1)));
    opening.revoke(List.of(P0));
    PartitionState now = state(P0);
    assertThat(opening.await(P0, () -> now)).isSameAs(now);
  }

  @Test
  void aFailedPreparationFailsTheWaitAndIsTriedAgainByTheNext() {
    opening.open(
        P0,
        () -> {
          throw new RetriableException("stage unavailable");
        });
    assertThatThrownBy(() -> opening.await(P0, never()))
        .isInstanceOf(RetriableException.class)
        .hasMessage("stage unavailable");

    PartitionState again = state(P0);
    assertThat(opening.await(P0, () -> again)).isSameAs(again);
  }
}
