package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.smt.payroll.PayrollChangesConnector;
import io.pgsnow.smt.payroll.PayrollScenario;
import io.pgsnow.smt.payroll.SeedPayrollJoin;
import io.pgsnow.testkit.ConnectCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's ksqlDB payroll join, done by the transform chain unwrap → lookup join (topic table on
 * the payroll topic) → FULL_NAME in a real Connect worker, on change events in the source
 * connector's shape (JsonConverter, schemas enabled).
 */
class PayrollPipelineIT {
  private static ConnectCluster cluster;

  @BeforeAll
  static void start() {
    cluster = SmtItCluster.shared();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** The connector config with the chain the seed's ksqlDB statements become. */
  static Map<String, String> pipeline(
      String prefix, String scenario, String joinType, String bootstrapServers) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", PayrollChangesConnector.class.getName());
    c.put("tasks.max", "1");
    c.put("topic.prefix", prefix);
    c.put("scenario", scenario);
    c.put("key.converter", JsonConverter.class.getName());
    c.put("value.converter", JsonConverter.class.getName());
    c.put("transforms", "unwrap,join,fullname,route");
    c.put("transforms.unwrap.type", UnwrapChangeEvent.Value.class.getName());
    c.put("transforms.join.type", LookupJoin.Value.class.getName());
    c.put("transforms.join.lookup.source", "topic");
    c.put("transforms.join.topic.name", prefix + ".public.payroll");
    c.put("transforms.join.topic.bootstrap.servers", bootstrapServers);
    c.put("transforms.join.key.fields", "employee_id");
    c.put("transforms.join.join.type", joinType);
    c.put("transforms.join.fields", "first_name,last_name,age,ssn,hourly_rate,gender,email");
    c.put("transforms.fullname.type", ConcatFields.Value.class.getName());
    c.put("transforms.fullname.field", "FULL_NAME");
    c.put("transforms.fullname.parts", "first_name, ' ', last_name");
    c.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    c.put("transforms.route.regex", prefix.replace(".", "\\.") + "\\.public\\.payroll_bonus");
    c.put("transforms.route.replacement", "payroll_complete_" + prefix);
    return c;
  }

  /** The output topic's values projected onto the seed's columns. */
  static List<Map<String, Object>> seedColumns(String topic, int count) {
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true"), false);
    ConsumerRecords<byte[], byte[]> records =
        cluster.kafka().consume(count, Duration.ofSeconds(90).toMillis(), topic);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Object value = json.toConnectData(topic, record.value()).value();
      rows.add(SeedPayrollJoin.project((Map<?, ?>) ChangeEvents.toMap(value)));
    }
    return rows;
  }

  private void runAndCompare(String prefix, String joinType) {
    PayrollScenario scenario = PayrollScenario.full(prefix);
    cluster.createConnector(
        "payroll-" + prefix, pipeline(prefix, "full", joinType, cluster.bootstrapServers()));
    cluster.awaitRunning("payroll-" + prefix, 1, Duration.ofSeconds(60));
    List<Map<String, Object>> expected = scenario.expected("left".equals(joinType)).output();
    List<Map<String, Object>> actual = seedColumns("payroll_complete_" + prefix, expected.size());
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void innerJoinGivesWhatTheSeedsKsqlJoinGives() {
    runAndCompare("inner", "inner");
    PayrollScenario scenario = PayrollScenario.full("inner");
    // The unknown employee's and the deleted employee's bonuses are not in the output.
    assertThat(scenario.expected(false).output())
        .extracting(row -> row.get("EMPLOYEE_ID"))
        .doesNotContain(9999L, 1003L);
    assertThat(scenario.expected(false).output())
        .filteredOn(row -> row.get("EMPLOYEE_ID").equals(1081L))
        .extracting(row -> row.get("FULL_NAME"))
        .containsExactly("Sheridan Lezemere", "Sheridan Lezemere-Smith");
  }

  @Test
  void leftJoinKeepsBonusesWithoutEmployee() {
    runAndCompare("left", "left");
    assertThat(PayrollScenario.full("left").expected(true).output())
        .extracting(row -> row.get("EMPLOYEE_ID"))
        .contains(9999L, 1003L);
  }

  @Test
  void aRestartedTaskJoinsAgainstTheFullyLoadedTable() {
    runAndCompare("restart", "inner");
    cluster.connect().deleteConnector("payroll-restart");
    PayrollScenario after = PayrollScenario.bonusesAfter(PayrollScenario.full("restart"));
    cluster.createConnector(
        "payroll-restart-2", pipeline("restart", "bonuses", "inner", cluster.bootstrapServers()));
    cluster.awaitRunning("payroll-restart-2", 1, Duration.ofSeconds(60));
    List<Map<String, Object>> expected = after.expected(false).output();
    int before = PayrollScenario.full("restart").expected(false).output().size();
    List<Map<String, Object>> all =
        seedColumns("payroll_complete_restart", before + expected.size());
    assertThat(all.subList(before, all.size())).containsExactlyElementsOf(expected);
    assertThat(
            new String(
                cluster.failedTaskTrace("payroll-restart-2").getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }
}
