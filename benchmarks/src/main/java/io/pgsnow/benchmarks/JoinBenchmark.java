package io.pgsnow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.smt.ConcatFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonDeserializer;
import org.apache.kafka.connect.json.JsonSerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The seed's stream-table join: each bonus row enriched with its employee's payroll row (10,000
 * employees, every bonus a hit) and {@code full_name = first_name + ' ' + last_name}. pgsnow's
 * {@code LookupJoin.Value} (topic table, fed in-line) and {@code ConcatFields.Value} on Connect
 * records, and the same join as a Kafka Streams KStream-KTable join run by {@code
 * TopologyTestDriver} on JSON bytes, as ksqlDB would run it. Each operation joins one record.
 */
public class JoinBenchmark extends AverageTimeBenchmark {
  static final int EMPLOYEES = 10_000;
  static final int BONUSES = 4096;
  static final ObjectMapper JSON = new ObjectMapper();

  /** pgsnow's transforms, on Connect records (Struct) and on JSON bytes (schemaless). */
  @State(Scope.Thread)
  public static class Pgsnow {
    /** Joined fields: every field of the row, or three selected ones. */
    @Param({"all", "first_name,last_name,hourly_rate"})
    public String fields;

    List<SourceRecord> bonuses;
    List<byte[]> bonusJson;
    PreloadedLookupJoin join;
    PreloadedLookupJoin schemalessJoin;
    Transformation<SourceRecord> concat;
    JsonConverter converter;
    int next;

    @Setup
    public void setUp() {
      String selected = "all".equals(fields) ? "" : fields;
      bonuses = PayrollData.bonuses(BONUSES, EMPLOYEES, 7);
      bonusJson = bonuses.stream().map(r -> json(asMap((Struct) r.value()))).toList();
      join = PreloadedLookupJoin.onPayroll(selected, PayrollData.payrollTable(EMPLOYEES));
      schemalessJoin = PreloadedLookupJoin.onPayroll(selected, schemalessTable());
      concat = new ConcatFields.Value<>();
      concat.configure(Map.of("field", "full_name", "parts", "first_name, ' ', last_name"));
      converter = new JsonConverter();
      converter.configure(Map.of("schemas.enable", "false"), false);
    }

    SourceRecord nextBonus() {
      SourceRecord record = bonuses.get(next);
      next = (next + 1) % BONUSES;
      return record;
    }

    byte[] nextBonusJson() {
      byte[] bytes = bonusJson.get(next);
      next = (next + 1) % BONUSES;
      return bytes;
    }

    @TearDown
    public void tearDown() {
      join.close();
      schemalessJoin.close();
      concat.close();
    }
  }

  /** The join as a Kafka Streams topology, its table in an in-memory or a RocksDB store. */
  @State(Scope.Thread)
  public static class KafkaStreams {
    @Param({"in-memory", "rocksdb"})
    public String store;

    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<Long, byte[]> bonusTopic;
    TestOutputTopic<byte[], byte[]> joined;
    List<Long> keys;
    List<byte[]> values;
    int next;

    @Setup
    public void setUp() throws IOException {
      stateDir = Files.createTempDirectory("pgsnow-bench-streams-");
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pgsnow-bench-join");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      driver = new TopologyTestDriver(topology(store), props);
      TestInputTopic<Long, byte[]> payroll =
          driver.createInputTopic(
              PayrollData.PAYROLL_TOPIC, new LongSerializer(), new ByteArraySerializer());
      for (SourceRecord row : PayrollData.payrollTable(EMPLOYEES)) {
        Struct value = (Struct) row.value();
        payroll.pipeInput((long) value.getInt32("employee_id"), json(asMap(value)));
      }
      bonusTopic =
          driver.createInputTopic(
              PayrollData.BONUS_TOPIC, new LongSerializer(), new ByteArraySerializer());
      joined =
          driver.createOutputTopic(
              "payroll_complete", new ByteArrayDeserializer(), new ByteArrayDeserializer());
      keys = new ArrayList<>();
      values = new ArrayList<>();
      for (SourceRecord bonus : PayrollData.bonuses(BONUSES, EMPLOYEES, 7)) {
        Struct value = (Struct) bonus.value();
        keys.add((long) value.getInt32("employee_id"));
        values.add(json(asMap(value)));
      }
    }

    @TearDown
    public void tearDown() throws IOException {
      driver.close();
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Bonus stream (keyed by employee_id) joined with the payroll table, ksqlDB style. */
  static org.apache.kafka.streams.Topology topology(String store) {
    Serde<JsonNode> json = Serdes.serdeFrom(new JsonSerializer(), new JsonDeserializer());
    KeyValueBytesStoreSupplier supplier =
        "rocksdb".equals(store)
            ? Stores.persistentKeyValueStore("payroll")
            : Stores.inMemoryKeyValueStore("payroll");
    StreamsBuilder builder = new StreamsBuilder();
    KTable<Long, JsonNode> payroll =
        builder.table(
            PayrollData.PAYROLL_TOPIC,
            Consumed.with(Serdes.Long(), json),
            Materialized.<Long, JsonNode>as(supplier)
                .withKeySerde(Serdes.Long())
                .withValueSerde(json));
    builder.stream(PayrollData.BONUS_TOPIC, Consumed.with(Serdes.Long(), json))
        .join(payroll, JoinBenchmark::joinRows)
        .to("payroll_complete", Produced.with(Serdes.Long(), json));
    return builder.build();
  }

  static JsonNode joinRows(JsonNode bonus, JsonNode employee) {
    ObjectNode out = ((ObjectNode) bonus).deepCopy();
    employee.properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    JsonNode first = employee.get("first_name");
    JsonNode last = employee.get("last_name");
    out.put("full_name", first.asText() + " " + last.asText());
    return out;
  }

  static Map<String, Object> asMap(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Field field : struct.schema().fields()) {
      map.put(field.name(), struct.get(field));
    }
    return map;
  }

  static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The payroll table as schemaless records, as JsonConverter without schemas reads them. */
  static List<SourceRecord> schemalessTable() {
    List<SourceRecord> rows = new ArrayList<>();
    for (SourceRecord row : PayrollData.payrollTable(EMPLOYEES)) {
      Map<String, Object> value = new HashMap<>(asMap((Struct) row.value()));
      value.replaceAll((k, v) -> v instanceof Integer i ? Long.valueOf(i) : v);
      Long id = (Long) value.get("employee_id");
      rows.add(
          new SourceRecord(
              null, null, row.topic(), 0, null, Map.of("employee_id", id), null, value, 0L));
    }
    return rows;
  }

  /** The join alone, on Connect records. */
  @Benchmark
  public SourceRecord pgsnowLookupJoin(Pgsnow state) {
    return state.join.apply(state.nextBonus());
  }

  /** The join and the computed full_name, on Connect records: what the SMT chain adds. */
  @Benchmark
  public SourceRecord pgsnowLookupJoinConcat(Pgsnow state) {
    return state.concat.apply(state.join.apply(state.nextBonus()));
  }

  /** JSON bytes in, join and full_name, JSON bytes out: the same work as the Streams topology. */
  @Benchmark
  public byte[] pgsnowLookupJoinConcatJsonBytes(Pgsnow state) {
    SchemaAndValue value =
        state.converter.toConnectData(PayrollData.BONUS_TOPIC, state.nextBonusJson());
    SourceRecord in =
        new SourceRecord(
            null, null, PayrollData.BONUS_TOPIC, 0, null, null, null, value.value(), 0L);
    SourceRecord out = state.concat.apply(state.schemalessJoin.apply(in));
    return state.converter.fromConnectData(out.topic(), null, out.value());
  }

  /** Kafka Streams' KStream-KTable join of one JSON bonus, output as JSON bytes. */
  @Benchmark
  public byte[] kafkaStreamsJoin(KafkaStreams state) {
    int i = state.next;
    state.next = (i + 1) % BONUSES;
    state.bonusTopic.pipeInput(state.keys.get(i), state.values.get(i));
    return state.joined.readValue();
  }
}
