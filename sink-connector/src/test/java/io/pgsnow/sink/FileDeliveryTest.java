package io.pgsnow.sink;

import static io.pgsnow.sink.UnitFixtures.POLICY;
import static io.pgsnow.sink.UnitFixtures.add;
import static io.pgsnow.sink.UnitFixtures.target;
import static io.pgsnow.sink.UnitFixtures.tp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class FileDeliveryTest {

  private final FakeSession session = new FakeSession();
  private final UnitFixtures.ManualClock clock = new UnitFixtures.ManualClock();

  private FileDelivery delivery(FakeSnowpipe snowpipe) {
    SinkMetrics metrics = UnitFixtures.metrics();
    LoadConfirmation confirmation =
        new LoadConfirmation(snowpipe, s -> {}, new StagePurge(), false, metrics, clock);
    return new FileDelivery(session, snowpipe, POLICY, confirmation, metrics, () -> 0L);
  }

  @Test
  void putUploadsFullFilesAndRegistersThemInBatchesTheBackgroundRegistersTheRest() {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe);
    PartitionState state = UnitFixtures.state(0);
    int files = FileDelivery.REGISTER_BATCH + 2;
    for (int i = 0; i < files; i++) {
      add(state, i * 3L, i * 3L + 2);
      delivery.deliver(tp(0), state, target(0), true, false);
    }
    assertThat(session.files).hasSize(files);
    assertThat(snowpipe.inserts)
        .as("put() registers once a batch of staged files waits")
        .singleElement()
        .satisfies(i -> assertThat(i.paths()).hasSize(FileDelivery.REGISTER_BATCH));
    assertThat(state.files(FileState.STAGED)).hasSize(2);

    delivery.deliverIfIdle(tp(0), state, target(0));

    assertThat(snowpipe.inserts).hasSize(2);
    assertThat(snowpipe.insertedPaths()).hasSize(files).doesNotHaveDuplicates();
    assertThat(state.files(FileState.REGISTERED)).hasSize(files);
    assertThat(snowpipe.inserts)
        .allSatisfy(i -> assertThat(i.pipe()).isEqualTo("DB.PUBLIC.PIPE_0"));
  }

  @Test
  void aFailedUploadIsATransientFaultAndTheFileIsUploadedByTheNextDelivery() {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe);
    PartitionState state = UnitFixtures.state(0);
    add(state, 0, 2);
    session.failUploads = true;
    assertThatThrownBy(() -> delivery.deliver(tp(0), state, target(0), true, false))
        .isInstanceOf(RetriableException.class);
    assertThat(session.files).isEmpty();

    session.failUploads = false;
    delivery.deliver(tp(0), state, target(0), false, true);

    assertThat(session.files).hasSize(1);
    assertThat(snowpipe.insertedPaths()).hasSize(1);
  }

  @Test
  void partitionsDeliverInParallelWhileOneWaitsForSnowpipe() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FakeSnowpipe snowpipe =
        new FakeSnowpipe() {
          @Override
          public void insertFiles(String pipe, List<String> paths) throws Exception {
            if (pipe.endsWith("PIPE_0")) {
              entered.countDown();
              release.await();
            }
            super.insertFiles(pipe, paths);
          }
        };
    FileDelivery delivery = delivery(snowpipe);
    PartitionState slow = UnitFixtures.state(0);
    PartitionState fast = UnitFixtures.state(1);
    add(slow, 0, 2);
    add(fast, 0, 2);
    CompletableFuture<Void> blocked =
        CompletableFuture.runAsync(() -> delivery.deliver(tp(0), slow, target(0), true, true));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    delivery.deliver(tp(1), fast, target(1), true, true);
    delivery.deliverIfIdle(tp(0), slow, target(0));

    assertThat(fast.files(FileState.REGISTERED)).hasSize(1);
    assertThat(blocked).isNotDone();
    assertThat(snowpipe.inserts)
        .as("the busy partition was skipped, not delivered twice")
        .extracting(FakeSnowpipe.Insert::pipe)
        .containsExactly("DB.PUBLIC.PIPE_1");
    release.countDown();
    blocked.get(10, TimeUnit.SECONDS);
    assertThat(slow.files(FileState.REGISTERED)).hasSize(1);
  }
}
