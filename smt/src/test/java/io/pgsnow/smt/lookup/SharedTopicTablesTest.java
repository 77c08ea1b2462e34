package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Joins that read one topic alike share one table; the last to close stops it. */
class SharedTopicTablesTest {
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

  private final SharedTopicTables tables = new SharedTopicTables();
  private final List<MockConsumer<byte[], byte[]>> consumers = new ArrayList<>();
  private final List<SharedTopicTables.Lease> leases = new ArrayList<>();

  @AfterEach
  void closeLeases() {
    leases.forEach(SharedTopicTables.Lease::close);
  }

  private static TopicTableSpec spec(String topic, long maxRows) {
    return new TopicTableSpec(
        topic,
        "localhost:9092",
        List.of(),
        TableConverter.JSON_CONVERTER,
        TopicTableSpec.text(Map.of("schemas.enable", "false")),
        TableConverter.JSON_CONVERTER,
        TopicTableSpec.text(Map.of("schemas.enable", false)),
        new TreeMap<>(),
        maxRows,
        1 << 20);
  }

  /** Opens tables on a mock topic holding employees 1..rows, as the spec's topic. */
  private TopicTable open(TopicTableSpec spec, int rows) {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    TopicPartition p0 = new TopicPartition(spec.topic(), 0);
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        spec.topic(),
        List.of(new PartitionInfo(spec.topic(), 0, node, new Node[] {node}, new Node[] {node})));
    consumer.updateBeginningOffsets(Map.of(p0, 0L));
    consumer.updateEndOffsets(Map.of(p0, (long) rows));
    for (int id = 1; id <= rows; id++) {
      ConsumerRecord<byte[], byte[]> record =
          new ConsumerRecord<>(
              spec.topic(),
              0,
              id - 1,
              json("{\"id\":" + id + "}"),
              json("{\"id\":" + id + ",\"name\":\"n" + id + "\"}"));
      consumer.schedulePollTask(() -> consumer.addRecord(record));
    }
    consumers.add(consumer);
    TableConverter key =
        TableConverter.create(spec.keyConverter(), spec.keyConverterConfig(), true);
    TableConverter value =
        TableConverter.create(spec.valueConverter(), spec.valueConverterConfig(), false);
    return new TopicTable(
        spec.topic(),
        consumer,
        key,
        value,
        spec.keyFields(),
        spec.maxRows(),
        spec.maxBytes(),
        TopicTable.LoadWait.TIMED);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private SharedTopicTables.Lease acquire(TopicTableSpec spec, int rows) {
    SharedTopicTables.Lease lease = tables.acquire(spec, s -> open(s, rows));
    leases.add(lease);
    return lease;
  }

  private static ObjectName mbean(String topic) throws Exception {
    return LookupTableMetrics.objectName(topic, 1);
  }

  @Test
  void joinsReadingATopicAlikeShareOneTableAndTheLastToCloseStopsIt() throws Exception {
    TopicTableSpec spec = spec("shared.people", 100);
    SharedTopicTables.Lease first = acquire(spec, 3);
    SharedTopicTables.Lease second = acquire(spec(new String("shared.people"), 100), 3);
    assertThat(consumers).hasSize(1);
    assertThat(second.table()).isSameAs(first.table());
    assertThat(tables.tables()).hasSize(1);
    first.awaitReady(Duration.ofSeconds(10));
    assertThat(second.lookup(LookupKey.of(2)).orElseThrow())
        .isEqualTo(Map.of("id", 2L, "name", "n2"));

    ObjectName name = mbean("shared.people");
    assertThat(JMX.getAttribute(name, "Users")).isEqualTo(2);
    assertThat(JMX.getAttribute(name, "Rows")).isEqualTo(3L);
    assertThat((Long) JMX.getAttribute(name, "EstimatedBytes")).isPositive();
    assertThat(JMX.getAttribute(name, "MaxRows")).isEqualTo(100L);
    assertThat(JMX.getAttribute(name, "Ready")).isEqualTo(true);
    assertThat(JMX.getAttribute(name, "Status")).isEqualTo("FOLLOWING");
    assertThat(JMX.getAttribute(name, "Topic")).isEqualTo("shared.people");
    await().atMost(Duration.ofSeconds(10)).until(() -> JMX.getAttribute(name, "Lag").equals(0L));

    first.close();
    first.close(); // a second close releases nothing more
    assertThat(JMX.getAttribute(name, "Users")).isEqualTo(1);
    assertThat(consumers.get(0).closed()).isFalse();
    assertThat(second.lookup(LookupKey.of(3))).isPresent();

    second.close();
    assertThat(consumers.get(0).closed()).isTrue();
    assertThat(second.table().status()).isEqualTo(TopicTable.Status.CLOSED);
    assertThat(tables.tables()).isEmpty();
    assertThat(JMX.isRegistered(name)).isFalse();

    // The next join opens (and loads) a new table.
    SharedTopicTables.Lease third = acquire(spec, 3);
    assertThat(consumers).hasSize(2);
    third.awaitReady(Duration.ofSeconds(10));
    assertThat(third.lookup(LookupKey.of(1))).isPresent();
    assertThat(JMX.getAttribute(name, "Users")).isEqualTo(1);
  }

  @Test
  void differentSettingsGetTablesOfTheirOwnReportedUnderTheirOwnIds() throws Exception {
    SharedTopicTables.Lease small = acquire(spec("own.people", 100), 2);
    SharedTopicTables.Lease large = acquire(spec("own.people", 1_000), 2);
    assertThat(consumers).hasSize(2);
    assertThat(large.table()).isNotSameAs(small.table());
    assertThat(JMX.getAttribute(LookupTableMetrics.objectName("own.people", 1), "MaxRows"))
        .isEqualTo(100L);
    assertThat(JMX.getAttribute(LookupTableMetrics.objectName("own.people", 2), "MaxRows"))
        .isEqualTo(1_000L);
  }

  @Test
  void aTableOverItsLimitFailsEveryUserNamingTheKeyAndARestartOpensANewOne() throws Exception {
    TopicTableSpec spec = spec("full.people", 2);
    SharedTopicTables.Lease first = acquire(spec, 3);
    SharedTopicTables.Lease second = acquire(spec, 3);
    for (SharedTopicTables.Lease lease : List.of(first, second)) {
      assertThatThrownBy(() -> lease.awaitReady(Duration.ofSeconds(10)))
          .isInstanceOf(LookupTableFullException.class)
          .hasMessageContaining("the row of key [3] would make it 3 rows")
          .hasMessageContaining("limits 2 rows");
      assertThatThrownBy(() -> lease.lookup(LookupKey.of(1)))
          .isInstanceOf(LookupTableFullException.class);
    }
    ObjectName name = mbean("full.people");
    assertThat(JMX.getAttribute(name, "Status")).isEqualTo("FAILED");
    assertThat(JMX.getAttribute(name, "Ready")).isEqualTo(false);
    assertThat((String) JMX.getAttribute(name, "Failure")).contains("the row of key [3]");

    // A restarted task (its limit unchanged, the topic smaller now) is not handed the failed table.
    SharedTopicTables.Lease restarted = acquire(spec, 2);
    assertThat(restarted.table()).isNotSameAs(first.table());
    restarted.awaitReady(Duration.ofSeconds(10));
    assertThat(restarted.lookup(LookupKey.of(2))).isPresent();
    first.close();
    second.close();
    assertThat(tables.tables()).containsExactly(restarted.table());
    assertThat(restarted.lookup(LookupKey.of(1))).isPresent();
  }

  private static SourceRecord chainRecord(String topic, int id, String name) {
    return new SourceRecord(
        Map.of(),
        Map.of(),
        topic,
        null,
        null,
        Map.of("id", id),
        null,
        Map.of("id", id, "name", name),
        0L);
  }

  @Test
  void whenTheChainThatUpdatedTheTableInLineStopsTheOtherUsersGetItRebuiltFromTheTopic()
      throws Exception {
    TopicTableSpec spec = spec("inline.people", 100);
    SharedTopicTables.Lease chain = acquire(spec, 1);
    SharedTopicTables.Lease other = acquire(spec, 1);
    chain.awaitReady(Duration.ofSeconds(10));
    // A change the chain takes in-line but that never commits (its task stops, the transaction
    // aborts): the topic never holds it.
    assertThat(chain.absorb(chainRecord("inline.people", 1, "in-line"))).isTrue();
    assertThat(other.lookup(LookupKey.of(1)).orElseThrow())
        .isEqualTo(Map.of("id", 1L, "name", "in-line"));
    TopicTable table = chain.table();
    await().atMost(Duration.ofSeconds(10)).until(table::isPaused);
    ObjectName name = mbean("inline.people");
    assertThat(JMX.getAttribute(name, "Status")).isEqualTo("IN_LINE");

    chain.close();
    assertThat(table.status()).isEqualTo(TopicTable.Status.CLOSED);
    assertThat(other.table()).isNotSameAs(table);
    assertThat(consumers).hasSize(2);
    other.awaitReady(Duration.ofSeconds(10));
    assertThat(other.isReady()).isTrue();
    assertThat(other.lookup(LookupKey.of(1)).orElseThrow())
        .isEqualTo(Map.of("id", 1L, "name", "n1"));
    // The same MBean reports the rebuilt table, which follows the topic.
    assertThat(JMX.getAttribute(name, "Users")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "FOLLOWING".equals(JMX.getAttribute(name, "Status")));
    MockConsumer<byte[], byte[]> consumer = consumers.get(1);
    ConsumerRecord<byte[], byte[]> followed =
        new ConsumerRecord<>("inline.people", 0, 1, json("{\"id\":2}"), json("{\"id\":2}"));
    consumer.schedulePollTask(() -> consumer.addRecord(followed));
    await().atMost(Duration.ofSeconds(10)).until(() -> other.lookup(LookupKey.of(2)).isPresent());
  }

  @Test
  void aJoinStartingWhileAnotherChainUpdatesTheTableInLineReadsItsOwnCopyOfTheTopic()
      throws Exception {
    TopicTableSpec spec = spec("restart.people", 100);
    SharedTopicTables.Lease stopping = acquire(spec, 2);
    stopping.awaitReady(Duration.ofSeconds(10));
    // The stopping task's last change, taken in-line, will not commit.
    assertThat(stopping.absorb(chainRecord("restart.people", 2, "aborted"))).isTrue();

    // Its successor starts before it let go of the table: it must join against the topic's rows,
    // the ones its source replays from, not against the stopping task's uncommitted change.
    SharedTopicTables.Lease restarted = acquire(spec, 2);
    assertThat(restarted.table()).isNotSameAs(stopping.table());
    restarted.awaitReady(Duration.ofSeconds(10));
    assertThat(restarted.lookup(LookupKey.of(2)).orElseThrow())
        .isEqualTo(Map.of("id", 2L, "name", "n2"));
    assertThat(tables.tables()).containsExactly(restarted.table());

    TopicTable old = stopping.table();
    stopping.close();
    assertThat(old.status()).isEqualTo(TopicTable.Status.CLOSED);
    assertThat(restarted.table().status()).isNotEqualTo(TopicTable.Status.CLOSED);
    assertThat(restarted.absorb(chainRecord("restart.people", 2, "replayed"))).isTrue();
    assertThat(restarted.lookup(LookupKey.of(2)).orElseThrow())
        .isEqualTo(Map.of("id", 2L, "name", "replayed"));
  }
}
