package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalDataTest {
  @Test
  void readsTheCollectionsAndTypeOfDebeziumSignals() {
    SignalData data =
        SignalData.parse(
            "{\"data-collections\": [\"public.orders\", \"s.\\\"odd\\\"\"], \"type\":\"INCREMENTAL\"}");
    assertThat(data.collections()).containsExactly("public.orders", "s.\"odd\"");
    assertThat(data.type()).isEqualTo("INCREMENTAL");
  }

  @Test
  void defaultsToAnIncrementalSnapshotOfNothingNamed() {
    assertThat(SignalData.parse(null).collections()).isEmpty();
    assertThat(SignalData.parse("{}").type()).isEqualTo("incremental");
  }
}
