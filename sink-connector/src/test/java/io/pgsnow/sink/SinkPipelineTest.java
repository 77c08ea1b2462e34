package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.sink.ddl.DdlBuilder;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** put(), preCommit() and close() of the whole sink task against the fake Snowflake. */
class SinkPipelineTest {

  private static final String TOPIC = "orders";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final AtomicInteger CONNECTORS = new AtomicInteger();

  /** Answers the provisioner's DESC TABLE and DESC PIPE as Snowflake would. */
  private static final class ProvisionedSession extends FakeSession {
    private volatile String pipeDefinition = "";

    @Override
    public void execute(String sql) {
      super.execute(sql);
      if (sql.startsWith("CREATE PIPE")) {
        pipeDefinition = sql.substring(sql.indexOf(" AS ") + 4);
      }
    }

    @Override
    public List<Map<String, String>> query(String sql) {
      super.query(sql);
      if (sql.startsWith("DESC TABLE")) {
        return List.of(
            Map.of("NAME", DdlBuilder.METADATA_COLUMN, "TYPE", "VARIANT"),
            Map.of("NAME", DdlBuilder.CONTENT_COLUMN, "TYPE", "VARIANT"));
      }
      if (sql.startsWith("DESC PIPE")) {
        return List.of(Map.of("DEFINITION", pipeDefinition));
      }
      return List.of();
    }
  }

  private final ProvisionedSession session = new ProvisionedSession();
  private final FakeSnowpipe snowpipe = new FakeSnowpipe();
  private SinkPipeline pipeline;

  private SinkPipeline pipeline(int maxInFlight) {
    Map<String, String> props = SnowflakeSinkConfigTest.minimal();
    props.put(SnowflakeSinkConfig.BUFFER_COUNT, "3");
    props.put(SnowflakeSinkConfig.BUFFER_TIME, "3600");
    props.put(SnowflakeSinkConfig.LOAD_CHECK_INTERVAL, "100");
    props.put(SnowflakeSinkConfig.MAX_IN_FLIGHT, String.valueOf(maxInFlight));
    SinkTaskContext context =
        (SinkTaskContext)
            Proxy.newProxyInstance(
                SinkTaskContext.class.getClassLoader(),
                new Class<?>[] {SinkTaskContext.class},
                (proxy, method, args) -> null);
    pipeline =
        new SinkPipeline(
            new SnowflakeSinkConfig(props),
            "unit" + CONNECTORS.incrementAndGet(),
            context,
            session,
            snowpipe);
    return pipeline;
  }

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static List<SinkRecord> records(long from, long to) {
    List<SinkRecord> out = new ArrayList<>();
    LongStream.rangeClosed(from, to)
        .forEach(o -> out.add(new SinkRecord(TOPIC, 0, null, null, null, Map.of("id", o), o)));
    return out;
  }

  /** The offset preCommit() lets Kafka commit, or -1 for none. */
  private long committed() {
    Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
    current.put(TP, new OffsetAndMetadata(0));
    OffsetAndMetadata o = pipeline.preCommit(current).get(TP);
    return o == null ? -1 : o.offset();
  }

  private String registered(long start) {
    return snowpipe.insertedPaths().stream()
        .filter(p -> p.substring(p.lastIndexOf('/') + 1).startsWith(start + "_"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void offsetsPassOnlyFilesConfirmedLoadedWhateverOrderTheLoadsAreConfirmedIn() {
    SinkPipeline p = pipeline(2);
    p.put(records(0, 9));
    await().atMost(Duration.ofSeconds(10)).until(() -> snowpipe.insertedPaths().size() == 3);
    assertThat(committed()).as("offset 9 is buffered, no file loaded").isEqualTo(0);

    snowpipe.loaded(registered(3), 3);
    snowpipe.loaded(registered(6), 3);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> committed() == 0);

    snowpipe.loaded(registered(0), 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 9);
    assertThat(session.uploads).as("one upload per file").hasValue(3);
  }

  @Test
  void aRevokedPartitionCommitsNothingMoreAndItsFilesAreNotRegistered() {
    SinkPipeline p = pipeline(4);
    p.put(records(0, 5));
    await().atMost(Duration.ofSeconds(10)).until(() -> session.uploads.get() == 2);

    p.close(List.of(TP));

    assertThat(committed()).as("a revoked partition has no offset to commit").isEqualTo(-1);
    int registeredBefore = snowpipe.insertedPaths().size();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> snowpipe.insertedPaths().size() == registeredBefore);
  }
}
