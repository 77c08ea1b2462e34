package io.pgsnow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks compare like with like: each side gives the same output for the same input. One
 * operation each, no timing (performance is measured by benchmarks/run, never by a test).
 */
class BenchmarkFixturesTest {

  @Test
  void pgsnowAndDebeziumUnwrapAndFlattenToTheSameRow() {
    UnwrapFlattenBenchmark bench = new UnwrapFlattenBenchmark();
    for (String addFields : List.of("none", "op,table,lsn,source.ts_ms")) {
      bench.addFields = addFields;
      bench.setUp();
      for (int i = 0; i < 4; i++) {
        Struct ours = (Struct) bench.pgsnowUnwrapFlatten().value();
        bench.next--;
        Struct theirs = (Struct) bench.debeziumUnwrapKafkaFlatten().value();
        assertThat(fields(ours)).isEqualTo(fields(theirs));
        assertThat(ours.get("address_city")).isNotNull();
      }
      bench.tearDown();
    }
  }

  @Test
  void bothConvertersWriteTheSameBytes() {
    ConverterBenchmark bench = new ConverterBenchmark();
    for (String shape : List.of("payroll", "wide50")) {
      for (String schemas : List.of("true", "false")) {
        bench.shape = shape;
        bench.schemas = schemas;
        // The set-up converts every record both ways and fails on the first difference.
        bench.setUp();
        byte[] fast = bench.fastJsonConverter();
        bench.next--;
        assertThat(fast).isEqualTo(bench.jsonConverter());
        assertThat(fast.length).isGreaterThan("wide50".equals(shape) ? 1500 : 500);
      }
    }
  }

  private static Map<String, Object> fields(Struct struct) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Field field : struct.schema().fields()) {
      out.put(field.name(), struct.get(field));
    }
    return out;
  }

  @Test
  void pgsnowJoinAndKafkaStreamsJoinAgree() throws Exception {
    JoinBenchmark bench = new JoinBenchmark();
    JoinBenchmark.Pgsnow pgsnow = new JoinBenchmark.Pgsnow();
    pgsnow.fields = "all";
    pgsnow.setUp();
    JoinBenchmark.KafkaStreams streams = new JoinBenchmark.KafkaStreams();
    streams.store = "in-memory";
    streams.setUp();
    try {
      for (int i = 0; i < 4; i++) {
        SourceRecord joined = bench.pgsnowLookupJoinConcat(pgsnow);
        pgsnow.next--;
        JsonNode bytesJoined =
            JoinBenchmark.JSON.readTree(bench.pgsnowLookupJoinConcatJsonBytes(pgsnow));
        JsonNode streamed = JoinBenchmark.JSON.readTree(bench.kafkaStreamsJoin(streams));
        Struct value = (Struct) joined.value();
        assertThat(value.getString("full_name")).isEqualTo(streamed.get("full_name").asText());
        assertThat(value.getInt32("hourly_rate")).isEqualTo(streamed.get("hourly_rate").asInt());
        assertThat(bytesJoined).isEqualTo(streamed);
      }
    } finally {
      pgsnow.tearDown();
      streams.tearDown();
    }
  }

  @Test
  void sourceHotPathBuildsOneRecordPerInsert() throws Exception {
    SourceHotPathBenchmark bench = new SourceHotPathBenchmark();
    bench.setUp();
    assertThat(bench.records()).isEqualTo(SourceHotPathBenchmark.ROWS);
  }
}
