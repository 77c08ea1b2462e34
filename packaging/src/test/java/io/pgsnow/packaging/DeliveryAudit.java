package io.pgsnow.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Compares what PostgreSQL committed with what Kafka and the warehouse hold, for the changes of one
 * scenario: PostgreSQL's audit of the ledger (or the blob ids written), the change events of the
 * scenario's offsets in Kafka (committed records only), and the warehouse rows whose {@code
 * RECORD_METADATA} offsets are those. A change is known by (id, op, version); it is lost when a
 * stage lacks it and duplicated for every copy beyond the first.
 */
final class DeliveryAudit {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FaultPipeline pipeline;

  DeliveryAudit(FaultPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Where a scenario starts: the audit's last sequence number and the topics' end offsets. */
  record Mark(long auditSeq, long blobId, Map<String, Map<Integer, Long>> offsets) {}

  /** Counts of one stage against the changes PostgreSQL committed. */
  record Comparison(long expected, long found, long lost, long duplicated, List<String> examples) {
    boolean exact() {
      return lost == 0 && duplicated == 0;
    }
  }

  Mark mark(long nextBlobId) throws Exception {
    Map<String, Map<Integer, Long>> offsets = new HashMap<>();
    for (String topic :
        List.of(FaultPipeline.LEDGER_TOPIC, FaultPipeline.BLOB_TOPIC, FaultPipeline.ALO_TOPIC)) {
      offsets.put(topic, endOffsets(topic));
    }
    return new Mark(auditSeq(), nextBlobId, offsets);
  }

  long auditSeq() throws SQLException {
    return postgresNumber("SELECT coalesce(max(seq), 0) FROM ledger_changes");
  }

  long auditCount() throws SQLException {
    return postgresNumber("SELECT count(*) FROM ledger_changes");
  }

  private long postgresNumber(String query) throws SQLException {
    try (Connection c = pipeline.pg.connect(FaultPipeline.DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The ledger changes PostgreSQL committed after the mark. */
  Map<String, Integer> committedLedgerChanges(Mark from) throws SQLException {
    Map<String, Integer> changes = new HashMap<>();
    try (Connection c = pipeline.pg.connect(FaultPipeline.DATABASE);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, op, version FROM ledger_changes WHERE seq > " + from.auditSeq())) {
      while (rs.next()) {
        changes.merge(rs.getLong(1) + ":" + rs.getString(2) + ":" + rs.getInt(3), 1, Integer::sum);
      }
    }
    return changes;
  }

  /** PostgreSQL's clock now. */
  Instant postgresClock() throws SQLException {
    try (Connection c = pipeline.pg.connect(FaultPipeline.DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  /** The ledger changes written at or after {@code since}, by PostgreSQL's clock. */
  Set<String> ledgerChangesSince(Instant since) throws SQLException {
    Set<String> changes = new HashSet<>();
    try (Connection c = pipeline.pg.connect(FaultPipeline.DATABASE);
        PreparedStatement s =
            c.prepareStatement("SELECT id, op, version FROM ledger_changes WHERE at >= ?")) {
      s.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          changes.add(rs.getLong(1) + ":" + rs.getString(2) + ":" + rs.getInt(3));
        }
      }
    }
    return changes;
  }

  /** The blob ids written after the mark, up to (not including) {@code nextBlobId}. */
  static Map<String, Integer> writtenBlobs(Mark from, long nextBlobId) {
    Map<String, Integer> ids = new HashMap<>();
    for (long id = from.blobId(); id < nextBlobId; id++) {
      ids.put(id + ":c:0", 1);
    }
    return ids;
  }

  /** The changes in the topic's committed records after the mark. */
  Map<String, Integer> inKafka(String topic, Mark from) throws Exception {
    Map<String, Integer> found = new HashMap<>();
    readKafka(topic, from, (identity, value) -> found.merge(identity, 1, Integer::sum));
    return found;
  }

  /**
   * The changes in the topic after the mark whose copies are not the same event, each with the
   * fields that differ. A replay is the same event but for the envelope's {@link #PROCESSING_TIME}
   * fields, the time the connector processed it, which a replay processes again, and the first
   * element of {@code source.sequence} (the end of the transaction before), which a task restarted
   * from an offset does not know for its first transaction: null there.
   */
  Map<String, Set<String>> differingCopies(String topic, Mark from) throws Exception {
    Map<String, JsonNode> first = new HashMap<>();
    Map<String, Set<String>> differing = new TreeMap<>();
    readKafka(
        topic,
        from,
        (identity, value) -> {
          JsonNode event = parse(value);
          JsonNode earlier = first.putIfAbsent(identity, event);
          if (earlier != null) {
            Set<String> fields = differences("", earlier, event);
            if (!fields.isEmpty()) {
              differing.computeIfAbsent(identity, k -> new TreeSet<>()).addAll(fields);
            }
          }
        });
    return differing;
  }

  /** The envelope's fields that say when the connector processed the event. */
  static final Set<String> PROCESSING_TIME = Set.of("ts_ms", "ts_us", "ts_ns");

  /** The replay's sequence is the first's with the previous transaction's end unknown (null). */
  private static boolean restartedSequence(JsonNode first, JsonNode replay) {
    JsonNode a = parse(first.asText());
    JsonNode b = parse(replay.asText());
    return a.size() == 2 && b.size() == 2 && b.get(0).isNull() && a.get(1).equals(b.get(1));
  }

  private static Set<String> differences(String prefix, JsonNode a, JsonNode b) {
    Set<String> fields = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (prefix.isEmpty() && PROCESSING_TIME.contains(name)) {
        continue;
      }
      JsonNode x = a.path(name);
      JsonNode y = b.path(name);
      if ("source.".equals(prefix) && "sequence".equals(name) && restartedSequence(x, y)) {
        continue;
      }
      if (x.isObject() && y.isObject()) {
        fields.addAll(differences(prefix + name + ".", x, y));
      } else if (!x.equals(y)) {
        fields.add(prefix + name + " (" + x + " / " + y + ")");
      }
    }
    return fields;
  }

  private void readKafka(String topic, Mark from, BiConsumer<String, String> change)
      throws Exception {
    Map<Integer, Long> end = endOffsets(topic);
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      end.keySet().forEach(p -> partitions.add(new TopicPartition(topic, p)));
      consumer.assign(partitions);
      for (TopicPartition tp : partitions) {
        consumer.seek(tp, from.offsets().get(topic).getOrDefault(tp.partition(), 0L));
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp.partition()))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read " + topic + " to " + end);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            change.accept(
                identity(JSON.readTree(r.value())), new String(r.value(), StandardCharsets.UTF_8));
          }
        }
      }
    }
  }

  /** The changes in the warehouse table whose Kafka offsets are after the mark. */
  Map<String, Integer> inWarehouse(String table, String topic, Mark from) throws SQLException {
    StringBuilder where = new StringBuilder();
    for (Map.Entry<Integer, Long> e : from.offsets().get(topic).entrySet()) {
      where.append(where.isEmpty() ? "" : " OR ");
      where
          .append("(RECORD_METADATA:\"partition\"::NUMBER = ")
          .append(e.getKey())
          .append(" AND RECORD_METADATA:\"offset\"::NUMBER >= ")
          .append(e.getValue())
          .append(')');
    }
    Map<String, Integer> found = new HashMap<>();
    try (Connection c = pipeline.warehouse();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT RECORD_CONTENT FROM KAFKA_DB.PUBLIC." + table + " WHERE " + where)) {
      while (rs.next()) {
        found.merge(identity(parse(rs.getString(1))), 1, Integer::sum);
      }
    }
    return found;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException("Not JSON: " + json, e);
    }
  }

  /** (id, op, version) of a change event; blob rows have no version (0). */
  static String identity(JsonNode event) {
    String op = event.path("op").asText();
    JsonNode row = "d".equals(op) ? event.path("before") : event.path("after");
    String normalized = "r".equals(op) ? "c" : op;
    return row.path("id").asLong() + ":" + normalized + ":" + row.path("version").asInt(0);
  }

  /** Lost and duplicated changes of {@code found} against {@code expected}. */
  static Comparison compare(Map<String, Integer> expected, Map<String, Integer> found) {
    long lost = 0;
    long duplicated = 0;
    long total = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      int n = found.getOrDefault(e.getKey(), 0);
      if (n == 0) {
        lost++;
        if (examples.size() < 5) {
          examples.add("lost " + e.getKey());
        }
      }
    }
    for (Map.Entry<String, Integer> e : found.entrySet()) {
      total += e.getValue();
      int allowed = expected.containsKey(e.getKey()) ? 1 : 0;
      if (e.getValue() > allowed) {
        duplicated += e.getValue() - allowed;
        if (examples.size() < 10) {
          examples.add(e.getValue() + "x " + e.getKey());
        }
      }
    }
    return new Comparison(expected.size(), total, lost, duplicated, examples);
  }

  /**
   * The rows of the current-state model that differ from PostgreSQL's ledger (id: PostgreSQL's row,
   * the model's row); empty when equal.
   */
  Map<Long, String> currentStateDifferences() throws SQLException {
    Map<Long, List<Object>> postgres = new TreeMap<>();
    try (Connection c = pipeline.pg.connect(FaultPipeline.DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, version, account, amount, note FROM ledger")) {
      while (rs.next()) {
        postgres.put(rs.getLong(1), row(rs));
      }
    }
    Map<Long, List<Object>> model = new TreeMap<>();
    try (Connection c = pipeline.warehouse();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT ID, VERSION, ACCOUNT, AMOUNT, NOTE FROM LEDGER_CURRENT")) {
      while (rs.next()) {
        if (model.put(rs.getLong(1), row(rs)) != null) {
          postgres.putIfAbsent(rs.getLong(1), List.of("twice in the model"));
        }
      }
    }
    Map<Long, String> differences = new TreeMap<>();
    for (Long id : union(postgres.keySet(), model.keySet())) {
      if (!Objects.equals(postgres.get(id), model.get(id))) {
        differences.put(id, postgres.get(id) + " / " + model.get(id));
      }
    }
    return differences;
  }

  private static List<Object> row(ResultSet rs) throws SQLException {
    return List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4), String.valueOf(rs.getString(5)));
  }

  private static List<Long> union(java.util.Set<Long> a, java.util.Set<Long> b) {
    java.util.TreeSet<Long> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }

  private Map<Integer, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
      Map<Integer, Long> end = new TreeMap<>();
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < FaultPipeline.PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.endOffsets(partitions).forEach((tp, o) -> end.put(tp.partition(), o));
      return end;
    }
  }

  private KafkaConsumer<byte[], byte[]> committedConsumer() {
    return pipeline.consumer(Map.of("isolation.level", "read_committed"));
  }
}
