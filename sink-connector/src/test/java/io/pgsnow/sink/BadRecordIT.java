package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.sink.auth.PrivateKeys;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text stays text: values and fields that only look like JSON load as the same text, while values
 * that are JSON by type (an {@code io.debezium.data.Json} field, schemaless maps and lists) load as
 * VARIANT objects and arrays. A Json-typed value that is not JSON is a bad record: it goes to the
 * dead letter queue with {@code errors.tolerance=all}, and every other record still lands once;
 * without tolerance the task fails naming the record, and nothing from the bad record on is
 * committed. The connectors log in with an encrypted private key made as Snowflake's key-pair guide
 * makes it ({@code openssl pkcs8 -topk8 -v2 des3}), with its passphrase.
 */
class BadRecordIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String JSON_FIELD =
      "{\"field\":\"doc\",\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Json\"}";
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"fields\":[{\"field\":\"employee_id\",\"type\":\"int32\"},"
          + "{\"field\":\"note\",\"type\":\"string\",\"optional\":true},"
          + JSON_FIELD
          + "]}";
  private static final String BROKEN_DOC = "{\"a\": broken";

  @RegisterExtension
  static final SinkEnvironment ENV =
      new SinkEnvironment("sink-bad-records", BadRecordIT::fixtureKeyPair);

  private static void produce(String topic, List<String> values) {
    ENV.connect.kafka().createTopic(topic, 1);
    for (int i = 0; i < values.size(); i++) {
      ENV.connect.kafka().produce(topic, 0, Integer.toString(i), values.get(i));
    }
  }

  /** A value of the struct schema, with the note and doc as JSON string literals (or null). */
  private static String typed(int id, String note, String doc) {
    return "{\"schema\":"
        + SCHEMA
        + ",\"payload\":{\"employee_id\":"
        + id
        + ",\"note\":"
        + literal(note)
        + ",\"doc\":"
        + literal(doc)
        + "}}";
  }

  private static String literal(String text) {
    return text == null ? "null" : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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

  private static Map<String, String> config(String topic, String valueConverter, boolean schemas)
      throws IOException {
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, topic, schemas);
    config.put("snowflake.private.key", resource("rsa_key_des3.p8"));
    config.put("snowflake.private.key.passphrase", "pgsnow-test");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", valueConverter);
    return config;
  }

  private static Map<String, String> typedConfig(String topic) throws IOException {
    return config(topic, "org.apache.kafka.connect.json.JsonConverter", true);
  }

  @Test
  void textStaysTextAndOnlyValuesThatAreJsonByTypeBecomeObjectsAndArrays() throws Exception {
    List<String> texts = List.of("[1,2", "[1, 2]", "{\"a\":1}", "{", " {\"a\": [1]} ");
    produce("text_values", texts);
    ENV.connect.createConnector(
        "text-values",
        config("text_values", "org.apache.kafka.connect.storage.StringConverter", false));
    produce(
        "typed_values",
        List.of(typed(0, "[1, 2]", "{\"a\": [1, 2]}"), typed(1, "{\"a\":1}", "[true, null]")));
    ENV.connect.createConnector("typed-values", typedConfig("typed_values"));
    produce(
        "schemaless_values",
        List.of("{\"m\":{\"a\":1},\"l\":[1,{\"b\":2}],\"t\":\"[1, 2]\"}", "[1,{\"b\":2}]"));
    ENV.connect.createConnector(
        "schemaless-values",
        config("schemaless_values", "org.apache.kafka.connect.json.JsonConverter", false));

    await("all values loaded")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                count(ENV.emulator, "SELECT COUNT(*) FROM TEXT_VALUES") == texts.size()
                    && count(ENV.emulator, "SELECT COUNT(*) FROM TYPED_VALUES") == 2
                    && count(ENV.emulator, "SELECT COUNT(*) FROM SCHEMALESS_VALUES") == 2);

    // A VARIANT reads back as its JSON text: a string keeps its quotes, an array or object has
    // none.
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_CONTENT FROM TEXT_VALUES ORDER BY RECORD_METADATA:offset::NUMBER"))
        .extracting(r -> r.get(0))
        .containsExactly(
            "\"[1,2\"", "\"[1, 2]\"", "\"{\\\"a\\\":1}\"", "\"{\"", "\" {\\\"a\\\": [1]} \"");
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_CONTENT:note::STRING, RECORD_CONTENT:note, RECORD_CONTENT:doc,"
                    + " ARRAY_SIZE(RECORD_CONTENT:doc.a) FROM TYPED_VALUES WHERE"
                    + " RECORD_CONTENT:employee_id::NUMBER = 0"))
        .containsExactly(List.of("[1, 2]", "\"[1, 2]\"", "{\"a\":[1,2]}", "2"));
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_CONTENT:note::STRING, RECORD_CONTENT:note, RECORD_CONTENT:doc FROM"
                    + " TYPED_VALUES WHERE RECORD_CONTENT:employee_id::NUMBER = 1"))
        .containsExactly(List.of("{\"a\":1}", "\"{\\\"a\\\":1}\"", "[true,null]"));
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_CONTENT:m, RECORD_CONTENT:l, ARRAY_SIZE(RECORD_CONTENT:l),"
                    + " RECORD_CONTENT:l[1].b::NUMBER, RECORD_CONTENT:t FROM SCHEMALESS_VALUES WHERE"
                    + " RECORD_METADATA:offset::NUMBER = 0"))
        .containsExactly(List.of("{\"a\":1}", "[1,{\"b\":2}]", "2", "2", "\"[1, 2]\""));
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_CONTENT FROM SCHEMALESS_VALUES WHERE"
                    + " RECORD_METADATA:offset::NUMBER = 1"))
        .containsExactly(List.of("[1,{\"b\":2}]"));
  }

  @Test
  void toleratedBadRecordGoesToTheDeadLetterQueueAndTheRestLandsOnce() throws Exception {
    String broken = typed(2, "x", BROKEN_DOC);
    produce(
        "raw_payroll",
        List.of(
            typed(0, null, "{\"k\": 0}"),
            typed(1, null, null),
            broken,
            typed(3, "[", "{\"k\": 3}"),
            typed(4, "plain text", "\"a JSON string\"")));
    Map<String, String> config = new HashMap<>(typedConfig("raw_payroll"));
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "raw_payroll_dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    ENV.connect.createConnector("tolerant", config);
    ENV.connect.awaitRunning("tolerant", 1, TIMEOUT);

    await("four good rows")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM RAW_PAYROLL") == 4);
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_METADATA:offset::NUMBER, RECORD_CONTENT:employee_id::NUMBER,"
                    + " RECORD_CONTENT:doc FROM RAW_PAYROLL ORDER BY 1"))
        .extracting(r -> r.get(0) + "/" + r.get(1) + "/" + r.get(2))
        .containsExactly("0/0/{\"k\":0}", "1/1/null", "3/3/{\"k\":3}", "4/4/\"a JSON string\"");

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    ENV.connect.kafka().consume(1, TIMEOUT.toMillis(), "raw_payroll_dlq").forEach(dead::add);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = dead.get(0);
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(broken);
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
        .until(() -> SinkItSupport.committed(ENV.connect, "tolerant").equals(Map.of(0, 5L)));
    // Still exactly four rows after the commit: nothing was loaded twice.
    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM RAW_PAYROLL")).isEqualTo(4);
    assertThat(SinkItSupport.metric("tolerant", "raw_payroll", 1, "ErrantRecords")).isEqualTo(1);
  }

  @Test
  void withoutToleranceTheTaskFailsNamingTheRecordAndCommitsNothingFromIt() throws Exception {
    produce(
        "strict_payroll",
        List.of(typed(0, null, "{}"), typed(1, null, BROKEN_DOC), typed(2, null, "{}")));
    ENV.connect.createConnector("strict", typedConfig("strict_payroll"));

    await("the task fails")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> SinkItSupport.taskState(ENV.connect, "strict").equals("FAILED"));
    assertThat(ENV.connect.failedTaskTrace("strict"))
        .contains("Bad record at topic strict_payroll, partition 0, offset 1")
        .contains("Invalid JSON");
    assertThat(SinkItSupport.committed(ENV.connect, "strict").getOrDefault(0, 0L))
        .isLessThanOrEqualTo(1L);
    assertThat(
            count(
                ENV.emulator,
                "SELECT COUNT(*) FROM STRICT_PAYROLL WHERE RECORD_METADATA:offset >= 1"))
        .isZero();
  }
}
