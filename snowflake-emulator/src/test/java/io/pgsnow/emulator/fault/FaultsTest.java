package io.pgsnow.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;

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
  void anyMatchesEveryEndpointAndLoadFailuresMatchPaths() {
    Faults faults = new Faults().failRequests(Endpoint.ANY, 500, 1).failLoads("bad", "boom");
    assertThat(faults.nextRequestFault(Endpoint.INSERT_FILES)).isPresent();
    assertThat(faults.loadFailure("dir/bad_1.json")).contains("boom");
    assertThat(faults.loadFailure("dir/good.json")).isEmpty();
    faults.clear();
    assertThat(faults.loadFailure("dir/bad_1.json")).isEmpty();
  }
}
