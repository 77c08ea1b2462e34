package io.pgsnow.common.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BoundedCallsTest {

  @Test
  void returnsWhatTheCallReturnsAndPassesItsFailureOn() throws Exception {
    try (BoundedCalls calls = new BoundedCalls("test-call-")) {
      assertThat(calls.call(Duration.ofSeconds(10), () -> "answer", v -> {})).isEqualTo("answer");
      assertThatThrownBy(
              () ->
                  calls.call(
                      Duration.ofSeconds(10),
                      () -> {
                        throw new IOException("refused");
                      },
                      v -> {}))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void stopsWaitingAtTheLimitAndHandsTheLateResultToTheAbandonedCallback() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicReference<String> late = new AtomicReference<>();
    try (BoundedCalls calls = new BoundedCalls("test-call-")) {
      assertThatThrownBy(
              () ->
                  calls.call(
                      Duration.ofMillis(50),
                      () -> {
                        answer.await();
                        return "late";
                      },
                      late::set))
          .isInstanceOf(TimeoutException.class);
      assertThat(late.get()).isNull();
      answer.countDown();
      await().atMost(Duration.ofSeconds(10)).untilAtomic(late, org.hamcrest.Matchers.is("late"));
    }
  }

  @Test
  void takesNoCallOnceClosedButStillRunsCleanUp() {
    BoundedCalls calls = new BoundedCalls("test-call-");
    calls.close();
    assertThatThrownBy(() -> calls.start(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    AtomicReference<String> ran = new AtomicReference<>();
    calls.runLater(() -> ran.set(Thread.currentThread().getName()));
    assertThat(ran.get()).isEqualTo(Thread.currentThread().getName());
  }
}
