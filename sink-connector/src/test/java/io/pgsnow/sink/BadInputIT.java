package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.testkit.ChangeEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad records as a table of cases, all loaded at once by one worker: each case is a connector with
 * {@code errors.tolerance=all} and a dead letter queue on its own topic, fed good records around
 * the bad ones. Each bad record reaches the dead letter queue with Connect's error headers naming
 * its offset and an error that says what is wrong (a converter's or the sink's), or lands as the
 * docs say; every other record of the batch lands exactly once, and every offset is committed.
 * Json-typed text that is not JSON and the no-tolerance path are BadRecordIT's.
 */
class BadInputIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  private static final String JSON = "org.apache.kafka.connect.json.JsonConverter";
  private static final String STRING = "org.apache.kafka.connect.storage.StringConverter";
  private static final String CONVERTER_FAILED = "Converting byte[] to Kafka Connect data failed";
  private static final int OVERSIZED = 17 * 1024 * 1024;

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-bad-input");

  /** A record of a case; {@code error} null means it lands, otherwise the DLQ error it gets. */
  record Rec(byte[] key, byte[] value, String error) {}

  /**
   * One case: its topic (also its table, upper-cased), what it changes in the sink's config, its
   * records, and queries on its table with the rows they must give.
   */
  record Case(
      String topic, Map<String, String> config, List<Rec> records, Map<String, String> checks) {
    @Override
    public String toString() {
      return topic;
    }
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static Rec good(String value) {
    return new Rec(null, utf8(value), null);
  }

  private static Rec good(String key, String value) {
    return new Rec(utf8(key), utf8(value), null);
  }

  private static Rec bad(byte[] value, String error) {
    return new Rec(null, value, error);
  }

  private static Rec bad(String value, String error) {
    return bad(utf8(value), error);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  private static Map<String, String> conf(String... pairs) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private static final String SCHEMA_INT =
      "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int32\"}]}";

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>(badValues());
    cases.addAll(keysAndTombstones());
    return cases;
  }

  /** Values a converter or the sink cannot take, and values that only look bad. */
  private static List<Case> badValues() {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "malformed_json",
            Map.of(),
            List.of(
                good("{\"id\":0}"),
                bad("{\"id\": 1", CONVERTER_FAILED),
                bad("not json at all", CONVERTER_FAILED),
                good("{\"id\":3} trailing text"),
                good("{\"id\":4}")),
            Map.of("SELECT RECORD_CONTENT:id::NUMBER FROM MALFORMED_JSON ORDER BY 1", "0,3,4")));
    cases.add(
        new Case(
            "wrong_schema",
            conf("value.converter.schemas.enable", "true"),
            List.of(
                good("{\"schema\":" + SCHEMA_INT + ",\"payload\":{\"id\":0}}"),
                bad("{\"id\":1}", "requires \"schema\" and \"payload\" fields"),
                bad("{\"schema\":" + SCHEMA_INT + ",\"payload\":{}}", "Invalid null value"),
                bad("{\"schema\":{\"type\":\"bogus\"},\"payload\":1}", "Unknown schema type"),
                good("{\"schema\":" + SCHEMA_INT + ",\"payload\":{\"id\":4}}")),
            Map.of("SELECT RECORD_CONTENT:id::NUMBER FROM WRONG_SCHEMA ORDER BY 1", "0,4")));
    cases.add(
        new Case(
            "metadata_field",
            conf("snowflake.enable.schematization", "true"),
            List.of(
                good("{\"id\":0}"),
                bad("{\"id\":1,\"RECORD_METADATA\":{}}", "collides with the metadata column"),
                good("{\"id\":2}")),
            Map.of("SELECT ID FROM METADATA_FIELD ORDER BY 1", "0,2")));
    cases.add(
        new Case(
            "oversized",
            conf(
                "value.converter",
                STRING,
                "producer.override.max.request.size",
                Integer.toString(64 * 1024 * 1024),
                "producer.override.compression.type",
                "gzip"),
            List.of(
                good("small"),
                bad("x".repeat(OVERSIZED), "exceeds Snowflake's VARIANT limit"),
                good("after")),
            Map.of(
                "SELECT RECORD_CONTENT FROM OVERSIZED ORDER BY RECORD_METADATA:offset",
                "\"small\",\"after\"")));
    byte[] badUtf8Json = {'{', '"', 's', '"', ':', '"', 'a', (byte) 0xC3, '(', '"', '}'};
    cases.add(
        new Case(
            "invalid_utf8_json",
            Map.of(),
            List.of(
                good("{\"s\":\"é\"}"), bad(badUtf8Json, "Invalid UTF-8"), good("{\"s\":\"ok\"}")),
            Map.of("SELECT RECORD_CONTENT:s::STRING FROM INVALID_UTF8_JSON ORDER BY 1", "ok,é")));
    cases.add(
        new Case(
            "invalid_utf8_text",
            conf("value.converter", STRING, "key.converter", STRING),
            List.of(
                new Rec(new byte[] {'k', (byte) 0xFF}, new byte[] {'a', (byte) 0xFF, 'b'}, null),
                good("fine")),
            Map.of(
                "SELECT RECORD_CONTENT, RECORD_METADATA:key::STRING FROM INVALID_UTF8_TEXT"
                    + " WHERE RECORD_METADATA:offset = 0",
                "\"a\uFFFDb\",k\uFFFD")));
    cases.add(
        new Case(
            "nan_infinity",
            Map.of(),
            List.of(
                good("{\"x\":1.5}"),
                bad("{\"x\":NaN}", CONVERTER_FAILED),
                bad("{\"x\":Infinity}", CONVERTER_FAILED),
                bad("{\"x\":-Infinity}", CONVERTER_FAILED),
                good("{\"x\":\"NaN\"}")),
            Map.of(
                "SELECT RECORD_CONTENT:x::STRING FROM NAN_INFINITY ORDER BY"
                    + " RECORD_METADATA:offset",
                "1.5,NaN")));
    cases.add(
        new Case(
            "deep_nesting",
            Map.of(),
            List.of(
                good(nested(998)),
                bad(nested(1000), "Cannot write the record as JSON"),
                bad(nested(5000), CONVERTER_FAILED),
                good("{\"a\":" + nested(3) + "}")),
            Map.of(
                "SELECT RECORD_METADATA:offset FROM DEEP_NESTING ORDER BY 1",
                "0,3",
                "SELECT RECORD_CONTENT:a[0][0][0]::NUMBER FROM DEEP_NESTING WHERE"
                    + " RECORD_METADATA:offset = 3",
                "1")));
    return cases;
  }

  /** Null keys and tombstones on every path of the sink. */
  private static List<Case> keysAndTombstones() {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "null_keys",
            Map.of(),
            List.of(good(null, "{\"id\":0}"), good("{\"k\":1}", "{\"id\":1}")),
            Map.of(
                "SELECT RECORD_METADATA:key FROM NULL_KEYS ORDER BY RECORD_METADATA:offset",
                "null,{\"k\":1}")));
    cases.add(
        new Case(
            "tombstones_raw",
            Map.of(),
            List.of(good("{\"id\":0}"), good("{\"id\":0}", null), good(null, null)),
            Map.of(
                "SELECT RECORD_CONTENT FROM TOMBSTONES_RAW ORDER BY RECORD_METADATA:offset",
                "{\"id\":0},{},{}")));
    cases.add(
        new Case(
            "tombstones_ignored",
            conf("behavior.on.null.values", "ignore"),
            List.of(good("{\"id\":0}"), new Rec(utf8("{\"id\":0}"), null, ""), good("{\"id\":2}")),
            Map.of("SELECT RECORD_CONTENT:id::NUMBER FROM TOMBSTONES_IGNORED ORDER BY 1", "0,2")));
    cases.add(
        new Case(
            "tombstones_schematized",
            conf("snowflake.enable.schematization", "true"),
            List.of(good("{\"id\":0}"), good("{\"id\":0}", null), good("{\"id\":2}")),
            Map.of(
                "SELECT COALESCE(ID::STRING, 'none') FROM TOMBSTONES_SCHEMATIZED ORDER BY"
                    + " RECORD_METADATA:offset",
                "0,none,2")));
    cases.add(
        new Case(
            "tombstones_models",
            conf("snowflake.model.views", "true", "snowflake.model.current_state", "view"),
            List.of(
                good(
                    "{\"id\":1}",
                    ChangeEventJson.envelope("t", "c", 100, "{\"id\":1,\"v\":\"a\"}", "null")),
                good(
                    "{\"id\":2}",
                    ChangeEventJson.envelope("t", "c", 200, "{\"id\":2,\"v\":\"b\"}", "null")),
                good(
                    "{\"id\":1}",
                    ChangeEventJson.envelope("t", "d", 300, "null", "{\"id\":1,\"v\":\"a\"}")),
                good("{\"id\":1}", null),
                good(null, null),
                good(
                    "{\"id\":2}",
                    ChangeEventJson.envelope("t", "u", 600, "{\"id\":2,\"v\":\"c\"}", "null"))),
            Map.of(
                "SELECT ID, V FROM TOMBSTONES_MODELS_CURRENT ORDER BY 1", "2,c",
                "SELECT COUNT(*) FROM TOMBSTONES_MODELS", "6")));
    return cases;
  }

  private static void produce(String topic, List<Rec> records) throws Exception {
    ENV.connect.kafka().createTopic(topic, 1, 1, Map.of("max.message.bytes", "1048588"));
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ENV.connect.bootstrapServers());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Rec r : records) {
        producer.send(new ProducerRecord<>(topic, 0, r.key(), r.value())).get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static Map<String, String> connectorConfig(Case c) {
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, c.topic(), false);
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", c.topic() + "_dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.putAll(c.config());
    return config;
  }

  @Test
  void eachBadRecordGetsItsErrorAndTheRestOfItsBatchLandsOnce() throws Exception {
    List<Case> cases = cases();
    for (Case c : cases) {
      produce(c.topic(), c.records());
      ENV.connect.createConnector(c.topic(), connectorConfig(c));
    }
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      try {
        verify(c);
      } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
        failures.add(e.getMessage());
      }
    }
    assertThat(failures).isEmpty();
  }

  private static void verify(Case c) throws Exception {
    String table = c.topic().toUpperCase(java.util.Locale.ROOT);
    List<Long> landing = new ArrayList<>();
    Map<Long, String> errors = new TreeMap<>();
    for (int i = 0; i < c.records().size(); i++) {
      String error = c.records().get(i).error();
      if (error == null) {
        landing.add((long) i);
      } else if (!error.isEmpty()) {
        errors.put((long) i, error);
      }
    }
    await(c + ": every offset committed")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                SinkItSupport.committed(ENV.connect, c.topic())
                    .equals(Map.of(0, (long) c.records().size())));
    // Every other record landed, each exactly once.
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_METADATA:offset::NUMBER FROM " + table + " ORDER BY 1"))
        .as(c.topic())
        .extracting(r -> Long.parseLong(r.get(0)))
        .containsExactlyElementsOf(landing);
    for (Map.Entry<String, String> check : c.checks().entrySet()) {
      assertThat(
              rows(ENV.emulator, check.getKey()).stream()
                  .flatMap(List::stream)
                  .map(v -> v == null ? "null" : v)
                  .reduce((a, b) -> a + "," + b)
                  .orElse(""))
          .as(c + ": " + check.getKey())
          .isEqualTo(check.getValue());
    }
    Map<Long, String> dead = new TreeMap<>();
    if (!errors.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> letter :
          ENV.connect.kafka().consume(errors.size(), TIMEOUT.toMillis(), c.topic() + "_dlq")) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : letter.headers()) {
          headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        long offset = Long.parseLong(headers.get("__connect.errors.offset"));
        assertThat(letter.value())
            .as(c + " dead letter " + offset)
            .isEqualTo(c.records().get((int) offset).value());
        dead.put(
            offset,
            headers.get("__connect.errors.exception.message")
                + " | "
                + headers.get("__connect.errors.exception.stacktrace"));
      }
    }
    assertThat(dead.keySet()).as(c + " dead letters").containsExactlyElementsOf(errors.keySet());
    errors.forEach(
        (offset, error) -> assertThat(dead.get(offset)).as(c + " @" + offset).contains(error));
    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM " + table)).isEqualTo(landing.size());
  }
}
