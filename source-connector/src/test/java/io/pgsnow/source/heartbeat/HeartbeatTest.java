package io.pgsnow.source.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.source.PostgresCdcSourceConfig;
import io.pgsnow.source.offsets.SourcePosition;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
  private static final SourcePosition AT = new SourcePosition(1000L, -1L, 0L);

  @Test
  void heartbeatsAreOffByDefaultAndGoToDebeziumsTopic() {
    Map<String, String> props = new HashMap<>();
    props.put("database.hostname", "localhost");
    props.put("database.user", "u");
    props.put("database.dbname", "d");
    props.put("topic.prefix", "shop");
    HeartbeatOptions defaults = new PostgresCdcSourceConfig(props).heartbeatOptions();
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.actionQuery()).isEmpty();
    assertThat(defaults.topic("shop")).isEqualTo("__debezium-heartbeat.shop");

    props.put("heartbeat.interval.ms", "2500");
    props.put("heartbeat.action.query", " UPDATE hb SET ts = now() ");
    props.put("topic.heartbeat.prefix", "beats");
    HeartbeatOptions set = new PostgresCdcSourceConfig(props).heartbeatOptions();
    assertThat(set.interval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(set.actionQuery()).contains("UPDATE hb SET ts = now()");
    assertThat(set.topic("shop")).isEqualTo("beats.shop");
  }

  @Test
  void beatsOncePerIntervalRunningTheActionQueryFirst() {
    AtomicLong clock = new AtomicLong(10_000);
    AtomicInteger actions = new AtomicInteger();
    Heartbeat heartbeat =
        new Heartbeat(
            new HeartbeatOptions(Duration.ofMillis(500), Optional.empty(), "__debezium-heartbeat"),
            new HeartbeatRecords("__debezium-heartbeat.shop", "shop"),
            actions::incrementAndGet,
            clock::get);
    assertThat(heartbeat.due(AT)).as("not before the first interval").isNull();
    clock.addAndGet(499);
    assertThat(heartbeat.due(AT)).isNull();
    clock.addAndGet(1);
    SourceRecord record = heartbeat.due(AT);
    assertThat(record).isNotNull();
    assertThat(actions).hasValue(1);
    assertThat(heartbeat.due(AT)).as("again within the interval").isNull();
    clock.addAndGet(600);
    assertThat(heartbeat.due(AT)).isNotNull();
    assertThat(actions).hasValue(2);
  }

  @Test
  void aZeroIntervalNeverBeats() {
    AtomicLong clock = new AtomicLong();
    Heartbeat heartbeat =
        new Heartbeat(
            new HeartbeatOptions(Duration.ZERO, Optional.empty(), "p"),
            new HeartbeatRecords("p.shop", "shop"),
            () -> {
              throw new AssertionError("no action without heartbeats");
            },
            clock::get);
    clock.addAndGet(1_000_000);
    assertThat(heartbeat.due(AT)).isNull();
  }

  @Test
  void recordHasDebeziumsSchemasAndTheGivenOffset() {
    SourceRecord record =
        new HeartbeatRecords("__debezium-heartbeat.shop", "shop").record(AT, 1234L);
    assertThat(record.topic()).isEqualTo("__debezium-heartbeat.shop");
    assertThat(record.kafkaPartition()).isZero();
    assertThat(record.keySchema().name()).isEqualTo("io.debezium.connector.common.ServerNameKey");
    assertThat(record.keySchema().version()).isEqualTo(1);
    assertThat(((Struct) record.key()).getString("serverName")).isEqualTo("shop");
    assertThat(record.valueSchema().name()).isEqualTo("io.debezium.connector.common.Heartbeat");
    assertThat(record.valueSchema().version()).isEqualTo(1);
    assertThat(((Struct) record.value()).getInt64("ts_ms")).isEqualTo(1234L);
    assertThat(record.sourcePartition()).isEqualTo(SourcePosition.partition("shop"));
    assertThat(SourcePosition.fromOffset(record.sourceOffset())).contains(AT);
  }
}
