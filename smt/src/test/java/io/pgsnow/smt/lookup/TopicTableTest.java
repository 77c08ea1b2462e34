package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicTableTest {
  private static final String TOPIC = "pg.public.payroll";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private TopicTable table;
  private long offset;

  private static TableConverter schemaless(boolean isKey) {
    return TableConverter.create(
        TableConverter.JSON_CONVERTER, Map.of("schemas.enable", "false"), isKey);
  }

  private void topicWithEndOffset(long end) {
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.updateEndOffsets(Map.of(P0, end));
  }

  private void send(String key, String value) {
    send(key, value, null);
  }

  private void send(String key, String value, String unchangedToastColumns) {
    ConsumerRecord<byte[], byte[]> record = record(key, value, unchangedToastColumns);
    consumer.schedulePollTask(() -> consumer.addRecord(record));
  }

  private ConsumerRecord<byte[], byte[]> record(
      String key, String value, String unchangedToastColumns) {
    long at = offset++;
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            TOPIC,
            0,
            at,
            key.getBytes(StandardCharsets.UTF_8),
            value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    if (unchangedToastColumns != null) {
      record
          .headers()
          .add(
              UnchangedToastColumns.HEADER, unchangedToastColumns.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private TopicTable start(long maxRows) {
    return start(maxRows, TopicTable.LoadWait.TIMED);
  }

  private TopicTable start(long maxRows, TopicTable.LoadWait loadWait) {
    table =
        new TopicTable(
            TOPIC,
            consumer,
            schemaless(true),
            schemaless(false),
            List.of(),
            maxRows,
            1 << 20,
            loadWait);
    return table;
  }

  /** A schemaless record of the table topic passing through the chain. */
  private static SourceRecord chainRecord(Map<String, ?> key, Map<String, ?> value) {
    return new SourceRecord(Map.of(), Map.of(), TOPIC, null, null, key, null, value, 0L);
  }

  @AfterEach
  void close() {
    if (table != null) {
      table.close();
    }
  }

  @Test
  void isReadyOnlyAfterReadingToTheEndOffsets() throws Exception {
    topicWithEndOffset(3);
    send("{\"employee_id\":1}", "{\"employee_id\":1,\"first_name\":\"Alice\"}");
    send("{\"employee_id\":2}", "{\"employee_id\":2,\"first_name\":\"Bob\"}");
    start(100);
    assertThatThrownBy(() -> table.awaitReady(Duration.ofMillis(600)))
        .isInstanceOf(LookupFailedException.class)
        .hasMessageContaining("read nothing");
    assertThat(table.isLoaded()).isFalse();

    send("{\"employee_id\":1}", "{\"employee_id\":1,\"first_name\":\"Alicia\"}");
    table.awaitReady(Duration.ofSeconds(10));
    assertThat(table.lookup(LookupKey.of(1)).orElseThrow())
        .isEqualTo(Map.of("employee_id", 1L, "first_name", "Alicia"));
    assertThat(table.rows()).isEqualTo(2);
    assertThat(table.estimatedBytes()).isPositive();
  }

  @Test
  void followsTheTopicAfterLoadingWithTombstonesAndEnvelopes() throws Exception {
    topicWithEndOffset(1);
    send("{\"employee_id\":1}", "{\"employee_id\":1,\"first_name\":\"Alice\"}");
    start(100).awaitReady(Duration.ofSeconds(10));
    send(
        "{\"employee_id\":2}",
        "{\"op\":\"c\",\"before\":null,\"after\":{\"employee_id\":2,\"first_name\":\"Bob\"}}");
    send("{\"employee_id\":1}", null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> table.lookup(LookupKey.of(2)).isPresent() && table.rows() == 1);
    assertThat(table.lookup(LookupKey.of(1))).isEmpty();
    send("{\"employee_id\":2}", "{\"op\":\"d\",\"before\":{\"employee_id\":2},\"after\":null}");
    await().atMost(Duration.ofSeconds(10)).until(() -> table.rows() == 0);
  }

  @Test
  void theFirstJoinWaitsForATableThatKeepsLoadingPastTheTimeout() throws Exception {
    // Every window of the timeout ends without the table loaded but with one more record read:
    // the wait goes on through five timeouts and the first join sees the whole table.
    int records = 5;
    topicWithEndOffset(records);
    AtomicInteger windows = new AtomicInteger();
    start(
        1000,
        (loaded, timeout) -> {
          if (windows.get() == records) {
            return loaded.await(10, TimeUnit.SECONDS);
          }
          long before = table.recordsRead();
          int id = windows.incrementAndGet();
          send("{\"employee_id\":" + id + "}", "{\"employee_id\":" + id + "}");
          await().atMost(Duration.ofSeconds(10)).until(() -> table.recordsRead() > before);
          return false;
        });
    table.awaitReady(Duration.ofSeconds(5));
    assertThat(windows).hasValue(records);
    assertThat(table.rows()).isEqualTo(records);
  }

  @Test
  void theFirstJoinFailsAfterAWholeTimeoutWithoutARecordRead() {
    topicWithEndOffset(2);
    send("{\"employee_id\":1}", "{\"employee_id\":1}");
    start(
        1000,
        (loaded, timeout) -> {
          // The window ends once the one record there is was read: then nothing more comes.
          await().atMost(Duration.ofSeconds(10)).until(() -> table.recordsRead() == 1);
          return false;
        });
    assertThatThrownBy(() -> table.awaitReady(Duration.ofSeconds(5)))
        .isInstanceOf(LookupFailedException.class)
        .hasMessage(
            "Lookup table pg.public.payroll read nothing for PT5S while loading (1 records read,"
                + " 1 rows)");
  }

  @Test
  void emptyTopicIsReadyAtOnce() throws Exception {
    topicWithEndOffset(0);
    start(100).awaitReady(Duration.ofSeconds(10));
    assertThat(table.rows()).isZero();
  }

  @Test
  void recordsOfTheChainUpdateInLineAndStopFollowingTheTopic() throws Exception {
    topicWithEndOffset(1);
    send("{\"employee_id\":1}", "{\"employee_id\":1,\"first_name\":\"Alice\"}");
    start(100).awaitReady(Duration.ofSeconds(10));

    SourceRecord update =
        chainRecord(Map.of("employee_id", 1), Map.of("employee_id", 1, "first_name", "Alicia"));
    assertThat(table.absorb(update.newRecord("other", null, null, 1, null, 1, 0L))).isFalse();
    // The chain takes the update in-line while the reader's poll brings an older change of the
    // same row: the older change must not roll the row back, and the reader stops following.
    ConsumerRecord<byte[], byte[]> older =
        record("{\"employee_id\":1}", "{\"employee_id\":1,\"first_name\":\"Alice\"}", null);
    AtomicBoolean absorbed = new AtomicBoolean();
    consumer.schedulePollTask(
        () -> {
          try {
            absorbed.set(table.absorb(update));
          } catch (LookupFailedException e) {
            throw new IllegalStateException(e);
          }
          consumer.addRecord(older);
        });
    await().atMost(Duration.ofSeconds(10)).until(table::isPaused);
    assertThat(absorbed).isTrue();
    assertThat(table.status()).isEqualTo(TopicTable.Status.IN_LINE);
    assertThat(table.lag()).isEqualTo(-1);
    // Held as the schemaless topic gives it back: integers as longs.
    assertThat(table.lookup(LookupKey.of(1)).orElseThrow())
        .isEqualTo(Map.of("employee_id", 1L, "first_name", "Alicia"));

    // The topic's later records do not reach a table updated in-line: the chain delivers them.
    send("{\"employee_id\":2}", "{\"employee_id\":2,\"first_name\":\"Bob\"}");
    assertThat(table.isPaused()).isTrue();
    assertThat(table.lookup(LookupKey.of(2))).isEmpty();
  }

  @Test
  void unchangedToastColumnsKeepTheValueHeldOnRebuildAndInLine() throws Exception {
    topicWithEndOffset(2);
    send("{\"employee_id\":1}", "{\"employee_id\":1,\"bio\":\"a long text\",\"rate\":1}");
    send("{\"employee_id\":1}", "{\"employee_id\":1,\"bio\":null,\"rate\":2}", "bio");
    start(100).awaitReady(Duration.ofSeconds(10));
    assertThat(table.lookup(LookupKey.of(1)).orElseThrow())
        .isEqualTo(Map.of("employee_id", 1L, "bio", "a long text", "rate", 2L));

    Map<String, Object> update = new HashMap<>();
    update.put("employee_id", 1);
    update.put("bio", null);
    update.put("rate", 3);
    SourceRecord record =
        new SourceRecord(
            Map.of(), Map.of(), TOPIC, null, null, Map.of("employee_id", 1), null, update, 0L);
    record.headers().addString(UnchangedToastColumns.HEADER, "bio");
    assertThat(table.absorb(record)).isTrue();
    assertThat(table.lookup(LookupKey.of(1)).orElseThrow())
        .isEqualTo(Map.of("employee_id", 1L, "bio", "a long text", "rate", 3L));
  }

  @Test
  void failsLoudlyWhenOutgrowingItsBound() {
    topicWithEndOffset(3);
    send("{\"employee_id\":1}", "{\"employee_id\":1}");
    send("{\"employee_id\":2}", "{\"employee_id\":2}");
    send("{\"employee_id\":3}", "{\"employee_id\":3}");
    start(2);
    assertThatThrownBy(() -> table.awaitReady(Duration.ofSeconds(10)))
        .isInstanceOf(LookupTableFullException.class)
        .hasMessageStartingWith(
            "Lookup table pg.public.payroll outgrew its bound: the row of key [3] would make it 3"
                + " rows, ~")
        .hasMessageContaining("(limits 2 rows, 1048576 bytes)")
        .hasMessageContaining("raise topic.max.rows / topic.max.bytes");
    assertThatThrownBy(() -> table.lookup(LookupKey.of(1)))
        .isInstanceOf(LookupTableFullException.class);
    // The row that did not fit is not held: the table stays as it was before it.
    assertThat(table.rows()).isEqualTo(2);
    assertThat(table.status()).isEqualTo(TopicTable.Status.FAILED);
  }

  @Test
  void aRowTheChainCannotFitFailsTheTableForAllItsUsers() throws Exception {
    topicWithEndOffset(1);
    send("{\"employee_id\":1}", "{\"employee_id\":1}");
    start(1).awaitReady(Duration.ofSeconds(10));
    SourceRecord second = chainRecord(Map.of("employee_id", 2), Map.of("employee_id", 2));
    assertThatThrownBy(() -> table.absorb(second))
        .isInstanceOf(LookupTableFullException.class)
        .hasMessageContaining("the row of key [2]");
    assertThatThrownBy(() -> table.lookup(LookupKey.of(1)))
        .isInstanceOf(LookupTableFullException.class);
    assertThat(table.isFailed()).isTrue();
  }

  @Test
  void skipsRecordsWithoutKey() throws Exception {
    topicWithEndOffset(2);
    send("null", "{\"employee_id\":9}");
    send("{\"employee_id\":1}", "{\"employee_id\":1}");
    start(100).awaitReady(Duration.ofSeconds(10));
    assertThat(table.rows()).isEqualTo(1);
  }
}
