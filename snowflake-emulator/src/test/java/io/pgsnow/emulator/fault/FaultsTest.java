package io.pgsnow.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FaultsTest {

  @Test
  void requestFaultsAreConsumedPerEndpoint() {
    Faults faults = new Faults().failRequests(Endpoint.QUERY, 503, 2);
    assertThat(faults.nextRequestFault(Endpoint.LOGIN)).isEmpty();
    assertThat(faults.nextRequestFault(Endpoint.QUERY)).isPresent();
    assertThat(faults.nextRequestFault(Endpoint.QUERY)).isPresent();
    assertThat(faults.nextRequestFault(Endpoint.QUERY)).isEmpty();
  }

  @Test
  void armedRequestsCountsWhatTheArmedFaultsWillStillAffect() {
    Faults faults =
        new Faults()
            .failRequests(Endpoint.QUERY, 503, 2)
            .timeoutRequests(Endpoint.LOGIN, Duration.ofSeconds(1), 1);
    assertThat(faults.armedRequests()).isEqualTo(3);
    faults.nextRequestFault(Endpoint.QUERY);
    assertThat(faults.armedRequests()).isEqualTo(2);
    faults.nextRequestFault(Endpoint.LOGIN);
    faults.nextRequestFault(Endpoint.QUERY);
    assertThat(faults.armedRequests()).isZero();
    faults.failRequests(Endpoint.QUERY, 503, 4).clear();
    assertThat(faults.armedRequests()).isZero();
  }

  @Test
  void anyMatchesEveryEndpointAndLoadFailuresMatchPaths() {
    Faults faults = new Faults().failRequests(Endpoint.ANY, 500, 1).failLoads("bad", "boom");
    assertThat(faults.nextRequestFault(Endpoint.INSERT_FILES)).isPresent();
    assertThat(faults.loadFailure("dir/bad_1.json")).contains("boom");
    assertThat(faults.loadFailure("dir/good.json")).isEmpty();
    faults.clear();
    assertThat(faults.loadFailure("dir/bad_1.json")).isEmpty();
  }

  @Test
  void timeoutFaultsAreUnansweredHoldsThatClearReleases() throws Exception {
    Faults faults = new Faults().timeoutRequests(Endpoint.LOGIN, Duration.ofMinutes(5), 1);
    Faults.RequestFault fault = faults.nextRequestFault(Endpoint.LOGIN).orElseThrow();
    assertThat(fault.unanswered()).isTrue();
    assertThat(fault.delay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(
            new Faults()
                .delayRequests(Endpoint.LOGIN, Duration.ofSeconds(1), 1)
                .nextRequestFault(Endpoint.LOGIN)
                .orElseThrow()
                .unanswered())
        .isFalse();

    CountDownLatch holding = new CountDownLatch(1);
    Thread held =
        new Thread(
            () -> {
              holding.countDown();
              try {
                faults.hold(fault.delay());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    held.start();
    holding.await();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> held.getState() == Thread.State.TIMED_WAITING);
    faults.clear();
    held.join(Duration.ofSeconds(30).toMillis());
    assertThat(held.isAlive()).isFalse();
  }
}
