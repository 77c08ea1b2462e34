package io.pgsnow.sink;

import static io.pgsnow.sink.UnitFixtures.POLICY;
import static io.pgsnow.sink.UnitFixtures.add;
import static io.pgsnow.sink.UnitFixtures.target;
import static io.pgsnow.sink.UnitFixtures.tp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FileDeliveryTest {

  /** Quick retries: 3 at most, 1-5 ms apart. */
  private static final RetryPolicy RETRIES =
      new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 3, Duration.ofMinutes(1), 0);

  private static final Duration BLOCKED = Duration.ofMillis(300);

  /** A session whose uploads wait for {@link #release} once {@link #gate} is set. */
  private static final class GatedSession extends FakeSession {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean gate;

    @Override
    public void upload(Identifier stage, String directory, String fileName, byte[] gzip)
        throws SQLException {
      if (gate) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.upload(stage, directory, fileName, gzip);
    }
  }

  private final GatedSession session = new GatedSession();
  private final UnitFixtures.ManualClock clock = new UnitFixtures.ManualClock();
  private final List<FileDelivery> opened = new ArrayList<>();

  private FileDelivery delivery(FakeSnowpipe snowpipe, int maxInFlight) {
    return delivery(snowpipe, maxInFlight, POLICY);
  }

  private FileDelivery delivery(FakeSnowpipe snowpipe, int maxInFlight, SealPolicy policy) {
    SinkMetrics metrics = UnitFixtures.metrics();
    LoadConfirmation confirmation =
        new LoadConfirmation(snowpipe, s -> {}, new StagePurge(), false, metrics, clock);
    FileDelivery d =
        new FileDelivery(
            session, snowpipe, policy, confirmation, metrics, () -> 0L, maxInFlight, RETRIES);
    opened.add(d);
    return d;
  }

  @AfterEach
  void close() {
    session.release.countDown();
    opened.forEach(FileDelivery::close);
  }

  /** Buffers a full file (POLICY: 3 records) at {@code from} and hands it over as put() does. */
  private static void putFull(FileDelivery d, PartitionState state, int partition, long from) {
    add(state, from, from + 2);
    d.sealFull(tp(partition), state, target(partition));
  }

  /** Partition 0 with its first file in an upload that waits for release, {@code more} after it. */
  private PartitionState uploadingWhileMoreWait(FileDelivery delivery, int more)
      throws InterruptedException {
    PartitionState state = UnitFixtures.state(0);
    session.gate = true;
    putFull(delivery, state, 0, 0);
    assertThat(session.entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= more; i++) {
      putFull(delivery, state, 0, i * 3L);
    }
    return state;
  }

  private List<Long> stagedStarts() {
    synchronized (session.files) {
      return session.files.keySet().stream()
          .map(k -> Long.parseLong(k.substring(k.lastIndexOf('/') + 1).split("_")[0]))
          .toList();
    }
  }

  @Test
  void putHandsFilesToUploadThreadsThatStageThemInOrderAndRegisterInBatches() {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe, 4);
    PartitionState state = UnitFixtures.state(0);
    int files = FileDelivery.REGISTER_BATCH + 2;
    for (int i = 0; i < files; i++) {
      putFull(delivery, state, 0, i * 3L);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> session.files.size() == files);
    assertThat(stagedStarts()).as("one partition's files are staged in offset order").isSorted();
    assertThat(snowpipe.inserts)
        .as("upload threads register only once a batch of staged files waits")
        .allSatisfy(
            i -> assertThat(i.paths()).hasSizeGreaterThanOrEqualTo(FileDelivery.REGISTER_BATCH));

    delivery.flushDue(tp(0), state, target(0));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state.files(FileState.REGISTERED).size() == files);
    assertThat(snowpipe.insertedPaths()).hasSize(files).doesNotHaveDuplicates();
    assertThat(snowpipe.inserts).hasSizeLessThanOrEqualTo(2);
    assertThat(session.uploads).as("each file uploaded once").hasValue(files);
    assertThat(delivery.inFlight()).isZero();
  }

  @Test
  void putWaitsWhileTheInFlightBoundIsReachedAndGoesOnOnceAnUploadFinishes() {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe, 2);
    PartitionState state = UnitFixtures.state(0);
    session.gate = true;
    putFull(delivery, state, 0, 0);
    putFull(delivery, state, 0, 3);
    assertThat(delivery.inFlight()).isEqualTo(2);

    CompletableFuture<Void> third =
        CompletableFuture.runAsync(() -> putFull(delivery, state, 0, 6));

    await().during(BLOCKED).atMost(BLOCKED.multipliedBy(3)).until(() -> !third.isDone());
    assertThat(state.sealedFiles()).as("no third file sealed while two are in flight").isEqualTo(2);
    assertThat(state.bufferedRecords()).isEqualTo(9);
    assertThat(state.committableOffset()).hasValue(0);

    session.release.countDown();
    third.join();
    await().atMost(Duration.ofSeconds(10)).until(() -> session.files.size() == 3);
    assertThat(stagedStarts()).containsExactly(0L, 3L, 6L);
    assertThat(state.committableOffset()).as("staged is not loaded").hasValue(0);
  }

  @Test
  void theHeldBytesStayWithinTheDocumentedBoundWhileUploadsStall() throws Exception {
    int maxBytes = 10_000;
    int inFlight = 3;
    SealPolicy policy = new SealPolicy(1_000_000, maxBytes, Duration.ofHours(1));
    FileDelivery delivery = delivery(new FakeSnowpipe(), inFlight, policy);
    List<PartitionState> states = List.of(UnitFixtures.state(0), UnitFixtures.state(1));
    Random random = new Random(17);
    byte[] row = new byte[200];
    session.gate = true;
    CompletableFuture<Void> put =
        CompletableFuture.runAsync(
            () -> {
              for (long o = 0; o < 2_000; o++) {
                int p = (int) (o % 2);
                PartitionState state = states.get(p);
                // Rows gzip barely shrinks: hex digits of random bytes.
                for (int i = 0; i < row.length; i++) {
                  row[i] = (byte) Character.forDigit(random.nextInt(16), 16);
                }
                state.isNew(o);
                state.append(o, row, row.length, 0);
                if (state.isFull(policy)) {
                  delivery.sealFull(tp(p), state, target(p));
                }
              }
            });

    await().during(BLOCKED).atMost(Duration.ofSeconds(10)).until(() -> !put.isDone());
    long held = states.stream().mapToLong(PartitionState::heldBytes).sum();
    assertThat(states.stream().mapToInt(PartitionState::sealedFiles).sum()).isEqualTo(inFlight);
    assertThat(held)
        .as("hex digits gzip to about half: the sealed files are held")
        .isGreaterThan((long) inFlight * maxBytes / 3);
    assertThat(held)
        .as("(partitions + in-flight files) x (buffer.size.bytes + a row)")
        .isLessThanOrEqualTo((long) (states.size() + inFlight) * (maxBytes + row.length));
    session.release.countDown();
    put.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aFailedUploadIsRetriedUnderThePolicyWithTheSameNameAndNeverTwice() {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe, 2);
    PartitionState state = UnitFixtures.state(0);
    session.failingUploads.set(2);
    putFull(delivery, state, 0, 0);
    putFull(delivery, state, 0, 3);
    delivery.flushDue(tp(0), state, target(0));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state.files(FileState.REGISTERED).size() == 2);
    assertThat(session.uploads).as("two failures, then each file once").hasValue(4);
    assertThat(stagedStarts()).containsExactly(0L, 3L);
    assertThat(snowpipe.insertedPaths()).hasSize(2).doesNotHaveDuplicates();
    delivery.throwIfFailed();
  }

  @Test
  void uploadsFailingBeyondTheRetriesFailTheTaskAndCommitNothing() {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe, 1);
    PartitionState state = UnitFixtures.state(0);
    session.failUploads = true;
    putFull(delivery, state, 0, 0);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(delivery::throwIfFailed)
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Giving up writing the files of orders-0 after 4"));
    assertThat(session.uploads).as("the first try and 3 retries").hasValue(4);
    assertThatThrownBy(() -> putFull(delivery, state, 0, 3))
        .as("put() waiting for a place raises the failure")
        .isInstanceOf(ConnectException.class);
    assertThat(session.files).isEmpty();
    assertThat(snowpipe.inserts).isEmpty();
    assertThat(state.committableOffset()).hasValue(0);
  }

  @Test
  void aRevokedPartitionFinishesTheUploadInProgressAndDropsTheFilesWaiting() throws Exception {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe, 3);
    PartitionState state = uploadingWhileMoreWait(delivery, 2);

    CountDownLatch forgotten = new CountDownLatch(1);
    CompletableFuture<Void> revoked =
        CompletableFuture.runAsync(() -> delivery.revoke(tp(0), state, forgotten::countDown));
    await().during(BLOCKED).atMost(BLOCKED.multipliedBy(3)).until(() -> !revoked.isDone());
    assertThat(forgotten.getCount()).as("not while an upload of it runs").isEqualTo(1);

    session.release.countDown();
    revoked.get(10, TimeUnit.SECONDS);
    assertThat(forgotten.getCount()).isZero();
    assertThat(state.isClosed()).isTrue();
    assertThat(delivery.inFlight()).as("the dropped files' places are free").isZero();
    delivery.flushDue(tp(0), state, target(0));
    delivery.close();
    assertThat(stagedStarts()).as("only the upload in progress was finished").containsExactly(0L);
    assertThat(snowpipe.inserts).as("nothing registered for a revoked partition").isEmpty();
  }

  @Test
  void closeWaitsForTheUploadInProgressAndAbandonsTheRest() throws Exception {
    FakeSnowpipe snowpipe = new FakeSnowpipe();
    FileDelivery delivery = delivery(snowpipe, 3);
    PartitionState state = uploadingWhileMoreWait(delivery, 1);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(delivery::close);
    await().during(BLOCKED).atMost(BLOCKED.multipliedBy(3)).until(() -> !closed.isDone());
    session.release.countDown();
    closed.get(10, TimeUnit.SECONDS);

    assertThat(stagedStarts()).containsExactly(0L);
    assertThat(snowpipe.inserts).isEmpty();
    assertThat(state.committableOffset()).as("nothing reported durable").hasValue(0);
  }

  @Test
  void partitionsUploadInParallelWhileOneWaitsForSnowpipe() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FakeSnowpipe snowpipe =
        new FakeSnowpipe() {
          @Override
          public void insertFiles(String pipe, List<String> paths) throws Exception {
            if (pipe.endsWith("PIPE_0")) {
              entered.countDown();
              release.await(30, TimeUnit.SECONDS);
            }
            super.insertFiles(pipe, paths);
          }
        };
    FileDelivery delivery = delivery(snowpipe, 4);
    PartitionState slow = UnitFixtures.state(0);
    PartitionState fast = UnitFixtures.state(1);
    add(slow, 0, 2);
    add(fast, 0, 2);
    delivery.flushDue(tp(0), slow, target(0));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    delivery.flushDue(tp(1), fast, target(1));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fast.files(FileState.REGISTERED).size() == 1);
    assertThat(snowpipe.inserts)
        .extracting(FakeSnowpipe.Insert::pipe)
        .containsExactly("DB.PUBLIC.PIPE_1");
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slow.files(FileState.REGISTERED).size() == 1);
  }
}
