package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.smt.lookup.SharedTopicTables;
import io.pgsnow.smt.lookup.TopicTable;
import io.pgsnow.smt.payroll.EmployeeEventsConnector;
import io.pgsnow.testkit.ConnectCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tasks of one connector in a real Connect worker join against one lookup table: JMX shows a
 * single table used by both, both tasks' records are joined, a restart of the tasks rebuilds the
 * table from its topic, and deleting the connector stops it.
 */
class SharedLookupTableIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
  private static final String TABLE = "shared.public.people";
  private static final String OUTPUT = "shared_joined";
  private static final String CONNECTOR = "shared-join";
  private static final int EMPLOYEES = 40;
  private static ConnectCluster cluster;

  @BeforeAll
  static void start() {
    cluster = SmtItCluster.shared();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Map<String, String> connector() {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", EmployeeEventsConnector.class.getName());
    c.put("tasks.max", "2");
    c.put("topic", OUTPUT);
    c.put("employees", Integer.toString(EMPLOYEES));
    c.put("key.converter", JsonConverter.class.getName());
    c.put("value.converter", JsonConverter.class.getName());
    c.put("value.converter.schemas.enable", "false");
    c.put("transforms", "join");
    c.put("transforms.join.type", LookupJoin.Value.class.getName());
    c.put("transforms.join.lookup.source", "topic");
    c.put("transforms.join.topic.name", TABLE);
    c.put("transforms.join.topic.bootstrap.servers", cluster.bootstrapServers());
    c.put("transforms.join.key.fields", "employee_id");
    c.put("transforms.join.fields", "first_name");
    return c;
  }

  private static void employee(int id, String firstName) {
    cluster
        .kafka()
        .produce(
            TABLE,
            "{\"employee_id\":" + id + "}",
            "{\"employee_id\":" + id + ",\"first_name\":\"" + firstName + "\"}");
  }

  private static List<JsonNode> output(int count) throws IOException {
    List<JsonNode> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record :
        cluster.kafka().consume(count, Duration.ofSeconds(90).toMillis(), OUTPUT)) {
      values.add(MAPPER.readTree(record.value()));
    }
    return values;
  }

  private static Set<ObjectName> tableMBeans() throws Exception {
    return JMX.queryNames(new ObjectName("io.pgsnow.smt:type=lookup-table,*"), null);
  }

  private static TopicTable onlyTable() {
    List<TopicTable> tables = SharedTopicTables.WORKER.tables();
    assertThat(tables).hasSize(1);
    return tables.get(0);
  }

  @Test
  void twoTasksShareOneTableAndARestartRebuildsIt() throws Exception {
    cluster.kafka().createTopic(TABLE, 2, 1, Map.of("cleanup.policy", "compact"));
    for (int id = 1; id <= EMPLOYEES; id++) {
      employee(id, "First" + id);
    }
    cluster.createConnector(CONNECTOR, connector());
    cluster.awaitRunning(CONNECTOR, 2, Duration.ofSeconds(60));

    List<JsonNode> first = output(EMPLOYEES);
    assertThat(first).hasSize(EMPLOYEES);
    assertThat(first).extracting(v -> v.get("task").asInt()).containsOnly(0, 1).contains(0, 1);
    for (JsonNode value : first) {
      assertThat(value.get("first_name").asText())
          .isEqualTo("First" + value.get("employee_id").asInt());
    }

    // One table in the worker, used by both tasks, with every row, caught up with its topic.
    assertThat(tableMBeans()).hasSize(1);
    ObjectName name = tableMBeans().iterator().next();
    assertThat(name.getKeyProperty("topic")).isEqualTo(ObjectName.quote(TABLE));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(JMX.getAttribute(name, "Users")).isEqualTo(2);
              assertThat(JMX.getAttribute(name, "Rows")).isEqualTo((long) EMPLOYEES);
              assertThat(JMX.getAttribute(name, "Ready")).isEqualTo(true);
              assertThat(JMX.getAttribute(name, "Status")).isEqualTo("FOLLOWING");
              assertThat(JMX.getAttribute(name, "Lag")).isEqualTo(0L);
            });
    assertThat((Long) JMX.getAttribute(name, "EstimatedBytes")).isPositive();
    TopicTable before = onlyTable();

    // A restart of the tasks: the old tasks release the table, the new ones build a new one.
    employee(1, "Renamed");
    cluster.connect().restartConnectorAndTasks(CONNECTOR, false, true, false);
    List<JsonNode> all = output(2 * EMPLOYEES);
    List<JsonNode> second = all.subList(EMPLOYEES, all.size());
    assertThat(second).extracting(v -> v.get("task").asInt()).contains(0, 1);
    for (JsonNode value : second) {
      int id = value.get("employee_id").asInt();
      assertThat(value.get("first_name").asText()).isEqualTo(id == 1 ? "Renamed" : "First" + id);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(tableMBeans()).hasSize(1);
              ObjectName rebuilt = tableMBeans().iterator().next();
              assertThat(JMX.getAttribute(rebuilt, "Users")).isEqualTo(2);
              assertThat(JMX.getAttribute(rebuilt, "Rows")).isEqualTo((long) EMPLOYEES);
              assertThat(JMX.getAttribute(rebuilt, "RecordsRead")).isEqualTo(EMPLOYEES + 1L);
            });
    TopicTable after = onlyTable();
    assertThat(after).isNotSameAs(before);
    assertThat(before.status()).isEqualTo(TopicTable.Status.CLOSED);

    // The last task to stop closes the table.
    cluster.connect().deleteConnector(CONNECTOR);
    await().atMost(Duration.ofSeconds(30)).until(() -> tableMBeans().isEmpty());
    assertThat(SharedTopicTables.WORKER.tables()).isEmpty();
    assertThat(after.status()).isEqualTo(TopicTable.Status.CLOSED);
  }
}
