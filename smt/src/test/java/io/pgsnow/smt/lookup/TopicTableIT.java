package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.smt.ChangeEvents;
import io.pgsnow.smt.LookupJoin;
import io.pgsnow.smt.LookupJoinConfig;
import io.pgsnow.smt.payroll.Payroll;
import io.pgsnow.testkit.ConnectCluster;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The topic table against a real broker, reading change events as the source connector writes. */
class TopicTableIT {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTableIT.class);
  private static final int EMPLOYEES = 2_000;
  private static ConnectCluster cluster;
  private static final JsonConverter JSON = new JsonConverter();

  @BeforeAll
  static void start() {
    cluster = ConnectCluster.builder().name("smt-topic-table").start();
    JSON.configure(Map.of("schemas.enable", "true"), false);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void produce(SourceRecord record) {
    String key =
        new String(
            JSON.fromConnectData(record.topic(), record.keySchema(), record.key()),
            StandardCharsets.UTF_8);
    byte[] value = JSON.fromConnectData(record.topic(), record.valueSchema(), record.value());
    cluster
        .kafka()
        .produce(
            record.topic(), key, value == null ? null : new String(value, StandardCharsets.UTF_8));
  }

  private static LookupJoin<SourceRecord> join(String topic, long maxRows) {
    LookupJoin<SourceRecord> join = new LookupJoin.Value<>();
    Map<String, Object> props = new HashMap<>();
    props.put(LookupJoinConfig.SOURCE, "topic");
    props.put(LookupJoinConfig.TOPIC_NAME, topic);
    props.put(LookupJoinConfig.TOPIC_BOOTSTRAP, cluster.bootstrapServers());
    props.put(LookupJoinConfig.KEY_FIELDS, "employee_id");
    props.put(LookupJoinConfig.TOPIC_MAX_ROWS, Long.toString(maxRows));
    props.put(LookupJoinConfig.TIMEOUT_MS, "60000");
    join.configure(props);
    return join;
  }

  private static SourceRecord bonus(int employeeId) {
    Struct bonus = Payroll.bonus(Payroll.bonusEvents("pg"), 1, employeeId, 10);
    return new SourceRecord(
        Map.of(), Map.of(), "pg.public.payroll_bonus", null, null, null, bonus.schema(), bonus, 0L);
  }

  @Test
  void loadsToTheEndBeforeTheFirstJoinAndAgainAfterARestart() {
    ChangeEvents payroll = Payroll.payrollEvents("tt");
    String topic = payroll.topic();
    cluster.kafka().createTopic(topic, 3, 1, Map.of("cleanup.policy", "compact"));
    for (int id = 1; id <= EMPLOYEES; id++) {
      produce(payroll.read(Payroll.employee(payroll, id, "First" + id, "Last" + id, 30, 20)));
    }
    // Newest value wins: the last employee's rate changes twice; employee 7 is deleted.
    Struct last = Payroll.employee(payroll, EMPLOYEES, "First", "Last", 30, 20);
    produce(payroll.update(last, Payroll.employee(payroll, EMPLOYEES, "First", "Newest", 31, 21)));
    produce(payroll.update(last, Payroll.employee(payroll, EMPLOYEES, "First", "Newest", 32, 22)));
    Struct seven = Payroll.employee(payroll, 7, "First7", "Last7", 30, 20);
    produce(payroll.delete(seven));
    produce(payroll.tombstone(seven));

    LookupJoin<SourceRecord> join = join(topic, 100_000);
    // The very first join already sees the newest row of the last key written.
    Struct joined = (Struct) join.apply(bonus(EMPLOYEES)).value();
    assertThat(joined.getInt32("hourly_rate")).isEqualTo(22);
    assertThat(joined.getString("last_name")).isEqualTo("Newest");
    assertThat(join.apply(bonus(7))).isNull();
    assertThat(join.apply(bonus(1))).isNotNull();
    TopicTable table = ((SharedTopicTables.Lease) join.source()).table();
    assertThat(table.rows()).isEqualTo(EMPLOYEES - 1);
    LOG.info("Topic table of {} rows holds ~{} KiB", table.rows(), table.estimatedBytes() / 1024);
    assertThat(table.estimatedBytes()).isBetween(EMPLOYEES * 200L, EMPLOYEES * 4_000L);

    // It keeps following the topic.
    produce(payroll.update(seven, Payroll.employee(payroll, 1, "First1", "Followed", 30, 20)));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                "Followed".equals(((Struct) join.apply(bonus(1)).value()).getString("last_name")));
    join.close();

    // A restarted task: more changes arrive while it is down, and its first join sees them all.
    produce(
        payroll.update(last, Payroll.employee(payroll, EMPLOYEES, "First", "Restarted", 33, 23)));
    produce(payroll.read(Payroll.employee(payroll, 7, "Back", "Again", 30, 20)));
    LookupJoin<SourceRecord> restarted = join(topic, 100_000);
    assertThat(((Struct) restarted.apply(bonus(EMPLOYEES)).value()).getString("last_name"))
        .isEqualTo("Restarted");
    assertThat(((Struct) restarted.apply(bonus(7)).value()).getString("first_name"))
        .isEqualTo("Back");
    assertThat((((SharedTopicTables.Lease) restarted.source()).table()).rows())
        .isEqualTo(EMPLOYEES);
    restarted.close();
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String value) {
    String key = value.replaceAll(".*(\"employee_id\":\\d+).*", "{$1}");
    producer.send(
        new ProducerRecord<>(
            topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rebuildsSchemalessRowsForStructRecordsAndNeverSeesAbortedWrites() throws Exception {
    // Plain JSON rows, as a connector with schemas.enable=false writes them, in transactions as
    // an exactly-once source writes them; one transaction is aborted, as a crash leaves it.
    String topic = "plain.public.payroll";
    cluster.kafka().createTopic(topic, 2, 1, Map.of());
    try (KafkaProducer<byte[], byte[]> producer =
        cluster
            .kafka()
            .createProducer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "payroll-writer"))) {
      producer.initTransactions();
      producer.beginTransaction();
      send(producer, topic, "{\"employee_id\":1,\"first_name\":\"Ann\",\"hourly_rate\":20}");
      send(producer, topic, "{\"employee_id\":2,\"first_name\":\"Bob\",\"hourly_rate\":null}");
      producer.commitTransaction();
      producer.beginTransaction();
      send(producer, topic, "{\"employee_id\":1,\"first_name\":\"Aborted\",\"hourly_rate\":1}");
      send(producer, topic, "{\"employee_id\":3,\"first_name\":\"Cy\",\"hourly_rate\":30}");
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      send(producer, topic, "{\"employee_id\":2,\"first_name\":\"Bobby\",\"hourly_rate\":25}");
      producer.commitTransaction();
    }
    // The table's converters are left to detect that the topic holds plain JSON.
    LookupJoin<SourceRecord> join = join(topic, 100);
    Struct ann = (Struct) join.apply(bonus(1)).value();
    assertThat(ann.getString("first_name")).isEqualTo("Ann");
    assertThat(ann.getInt64("hourly_rate")).isEqualTo(20L);
    assertThat(ann.getInt32("bonus")).isEqualTo(10);
    Struct bob = (Struct) join.apply(bonus(2)).value();
    assertThat(bob.getString("first_name")).isEqualTo("Bobby");
    assertThat(bob.schema()).isSameAs(ann.schema());
    assertThat(join.apply(bonus(3)))
        .as("employee 3 was only written in an aborted transaction")
        .isNull();
    assertThat((((SharedTopicTables.Lease) join.source()).table()).rows()).isEqualTo(2);
    join.close();
  }

  @Test
  void aTableOverItsBoundFailsTheJoin() {
    ChangeEvents payroll = Payroll.payrollEvents("small");
    for (int id = 1; id <= 20; id++) {
      produce(payroll.read(Payroll.employee(payroll, id, "F", "L", 30, 20)));
    }
    LookupJoin<SourceRecord> join = join(payroll.topic(), 10);
    assertThatThrownBy(() -> join.apply(bonus(1)))
        .isInstanceOf(LookupTableFullException.class)
        .hasMessageContaining("outgrew its bound: the row of key [11]");
    join.close();
  }
}
