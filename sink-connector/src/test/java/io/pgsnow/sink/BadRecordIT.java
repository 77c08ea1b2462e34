package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.sink.auth.PrivateKeys;
import io.pgsnow.testkit.ConnectCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records that cannot become a row (here: text that starts like JSON but is not) go to the dead
 * letter queue with {@code errors.tolerance=all}, and every other record still lands once; without
 * tolerance the task fails naming the record, and nothing from the bad record on is committed. The
 * connectors log in with an encrypted private key made as Snowflake's key-pair guide makes it
 * ({@code openssl pkcs8 -topk8 -v2 des3}), with its passphrase.
 */
class BadRecordIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String BROKEN = "{\"employee_id\": 3, broken";

  private static KeyPair keys;
  private static SnowflakeEmulator emulator;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() throws Exception {
    keys = fixtureKeyPair();
    emulator = SinkItSupport.emulator(keys);
    connect = SinkItSupport.cluster().name("sink-bad-records").start();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static void produce(String topic, List<String> values) {
    connect.kafka().createTopic(topic, 1);
    for (int i = 0; i < values.size(); i++) {
      connect.kafka().produce(topic, 0, Integer.toString(i), values.get(i));
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = BadRecordIT.class.getResourceAsStream("/keys/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** The test-only key pair of {@code src/test/resources/keys}. */
  private static KeyPair fixtureKeyPair() throws Exception {
    String pem = resource("rsa_key.pub").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    return new KeyPair(publicKey, PrivateKeys.parse(resource("rsa_key_pkcs1.pem"), null));
  }

  private static Map<String, String> stringValueConfig(String topic) throws IOException {
    Map<String, String> config = SinkItSupport.sinkConfig(emulator, keys, topic, false);
    config.put("snowflake.private.key", resource("rsa_key_des3.p8"));
    config.put("snowflake.private.key.passphrase", "pgsnow-test");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  @Test
  void toleratedBadRecordGoesToTheDeadLetterQueueAndTheRestLandsOnce() throws Exception {
    produce(
        "raw_payroll",
        List.of(
            "{\"employee_id\": 0}",
            "{\"employee_id\": 1}",
            BROKEN,
            "{\"employee_id\": 4}",
            "plain text is a VARIANT string"));
    Map<String, String> config = new HashMap<>(stringValueConfig("raw_payroll"));
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "raw_payroll_dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    connect.createConnector("tolerant", config);
    connect.awaitRunning("tolerant", 1, TIMEOUT);

    await("four good rows")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count(emulator, "SELECT COUNT(*) FROM RAW_PAYROLL") == 4);
    assertThat(
            rows(
                emulator,
                "SELECT RECORD_METADATA:offset::NUMBER, RECORD_CONTENT:employee_id::NUMBER,"
                    + " RECORD_CONTENT::STRING FROM RAW_PAYROLL ORDER BY 1"))
        .extracting(r -> r.get(0) + "/" + r.get(1))
        .containsExactly("0/0", "1/1", "3/4", "4/null");

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    connect.kafka().consume(1, TIMEOUT.toMillis(), "raw_payroll_dlq").forEach(dead::add);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = dead.get(0);
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(BROKEN);
    Map<String, String> headers = new HashMap<>();
    for (Header h : letter.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers)
        .containsEntry("__connect.errors.topic", "raw_payroll")
        .containsEntry("__connect.errors.partition", "0")
        .containsEntry("__connect.errors.offset", "2");
    assertThat(headers.get("__connect.errors.exception.message")).contains("Invalid JSON");

    await("all five offsets committed")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> committedOffset("tolerant") == 5L);
    // Still exactly four rows after the commit: nothing was loaded twice.
    assertThat(count(emulator, "SELECT COUNT(*) FROM RAW_PAYROLL")).isEqualTo(4);
  }

  @Test
  void withoutToleranceTheTaskFailsNamingTheRecordAndCommitsNothingFromIt() throws Exception {
    produce("strict_payroll", List.of("{\"employee_id\": 0}", BROKEN, "{\"employee_id\": 2}"));
    connect.createConnector("strict", stringValueConfig("strict_payroll"));

    await("the task fails")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> taskState("strict").equals("FAILED"));
    assertThat(connect.failedTaskTrace("strict"))
        .contains("Bad record at topic strict_payroll, partition 0, offset 1")
        .contains("Invalid JSON");
    assertThat(committedOffsetOrZero("strict")).isLessThanOrEqualTo(1L);
    assertThat(
            count(
                emulator, "SELECT COUNT(*) FROM STRICT_PAYROLL WHERE RECORD_METADATA:offset >= 1"))
        .isZero();
  }

  private static String taskState(String connector) {
    try {
      ConnectorStateInfo info = connect.connect().connectorStatus(connector);
      return info.tasks().isEmpty() ? "NONE" : info.tasks().get(0).state();
    } catch (RuntimeException e) {
      return "UNKNOWN";
    }
  }

  private static long committedOffset(String connector) {
    return connect.connect().connectorOffsets(connector).offsets().stream()
        .mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue())
        .max()
        .orElse(-1L);
  }

  private static long committedOffsetOrZero(String connector) {
    try {
      return Math.max(0L, committedOffset(connector));
    } catch (RuntimeException e) {
      return 0L;
    }
  }
}
