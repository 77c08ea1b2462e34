package io.pgsnow.source.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class SourceTaskMetricsTest {

  @Test
  void formatsLsnsAsPostgresDoes() {
    assertThat(SourceTaskMetrics.format(0x16B3748L)).isEqualTo("0/16B3748");
    assertThat(SourceTaskMetrics.format(0x1_0000_00A0L)).isEqualTo("1/A0");
    assertThat(SourceTaskMetrics.format(0L)).isEqualTo("0/0");
  }

  @Test
  void registersCountsAndUnregisters() throws Exception {
    SourceTaskMetrics.Counters counters = new SourceTaskMetrics.Counters();
    ObjectName name = new ObjectName("io.pgsnow.source:type=task-metrics,connector=\"unit\"");
    try (SourceTaskMetrics metrics =
        new SourceTaskMetrics(counters, () -> 3, () -> 0x20L, () -> 0x10L).register("unit")) {
      counters.recordQueued(System.currentTimeMillis() - 5_000);
      counters.recordQueued(System.currentTimeMillis() - 1_000);
      counters.reconnected();
      var server = ManagementFactory.getPlatformMBeanServer();
      assertThat(server.getAttribute(name, "RecordsQueued")).isEqualTo(2L);
      assertThat(server.getAttribute(name, "QueueSize")).isEqualTo(3);
      assertThat(server.getAttribute(name, "ReadLsn")).isEqualTo("0/20");
      assertThat(server.getAttribute(name, "ConfirmedLsn")).isEqualTo("0/10");
      assertThat(server.getAttribute(name, "Reconnects")).isEqualTo(1L);
      assertThat((Long) server.getAttribute(name, "MillisBehindSource"))
          .isGreaterThanOrEqualTo(1_000L);
      assertThat(metrics.getMillisBehindSource()).isLessThan(60_000L);
    }
    assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isFalse();
  }
}
