package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.smt.lookup.LookupKey;
import io.pgsnow.smt.lookup.LookupSource;
import io.pgsnow.smt.lookup.TableConverter;
import io.pgsnow.smt.lookup.TopicTable;
import io.pgsnow.smt.payroll.Payroll;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lookup table filled in-line, then rebuilt from its topic after a restart, gives the join the
 * same rows: for every way a user can configure the converters (the topic written with or without
 * schemas; the table converter told or left to detect it), with change envelopes or unwrapped rows
 * in the topic, and with Struct or Map records on either side. The joined records after a restart
 * at any point equal those of a run without one, as the connector's converter writes them.
 */
class LookupTableRebuildTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ChangeEvents PAYROLL = Payroll.payrollEvents("pg");
  private static final ChangeEvents BONUSES = Payroll.bonusEvents("pg");
  private static final TopicPartition P0 = new TopicPartition(PAYROLL.topic(), 0);

  /** How the records of the table topic look when they pass the join. */
  enum Content {
    /** Change-event envelopes (the join sits before any unwrapping). */
    ENVELOPES,
    /** Unwrapped rows, deletes as tombstones (the seed's chain). */
    ROWS
  }

  /** What passes the join: Structs from a source connector, or Maps a schemaless sink reads. */
  enum Records {
    STRUCTS,
    MAPS
  }

  /** How the table's value and key converters are configured. */
  enum TableSetting {
    /** schemas.enable set to what the topic holds. */
    TOLD,
    /** schemas.enable not set: detected per record. */
    DETECTED
  }

  record Combination(
      boolean writtenWithSchemas,
      Content content,
      TableSetting setting,
      Records tableRecords,
      Records joinedRecords) {
    @Override
    public String toString() {
      return String.format(
          "topic %s schemas, %s, table converter %s, table records as %s, joined records as %s",
          writtenWithSchemas ? "with" : "without", content, setting, tableRecords, joinedRecords);
    }
  }

  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (boolean schemas : new boolean[] {true, false}) {
      for (Content content : Content.values()) {
        for (TableSetting setting : TableSetting.values()) {
          for (Records table : Records.values()) {
            for (Records joined : Records.values()) {
              // A sink reading a topic written with schemas gets Structs, never Maps.
              if (schemas && (table == Records.MAPS || joined == Records.MAPS)) {
                continue;
              }
              all.add(Arguments.of(new Combination(schemas, content, setting, table, joined)));
            }
          }
        }
      }
    }
    return all.stream();
  }

  private static List<SourceRecord> scenario(Content content) {
    Struct alice = Payroll.employee(PAYROLL, 1, "Alice", "Smith", 40, 30);
    Struct bob = Payroll.employee(PAYROLL, 2, "Bob", "Stone", 31, 25);
    Struct cher = Payroll.employee(PAYROLL, 3, "Cher", null, 52, 41);
    Struct alicia = Payroll.employee(PAYROLL, 1, "Alicia", "Smith-Jones", 40, 35);
    List<SourceRecord> steps = new ArrayList<>();
    steps.add(table(content, PAYROLL.insert(alice)));
    steps.add(table(content, PAYROLL.insert(bob)));
    steps.add(table(content, PAYROLL.insert(cher)));
    steps.add(bonus(1, 1, 10));
    steps.add(table(content, PAYROLL.update(alice, alicia)));
    steps.add(bonus(2, 1, 20));
    steps.add(bonus(3, 3, 30));
    if (content == Content.ENVELOPES) {
      steps.add(PAYROLL.delete(cher));
    }
    steps.add(PAYROLL.tombstone(cher));
    steps.add(bonus(4, 3, 40));
    steps.add(bonus(5, 2, 50));
    steps.add(bonus(6, 9, 60));
    return steps;
  }

  private static SourceRecord table(Content content, SourceRecord event) {
    if (content == Content.ENVELOPES) {
      return event;
    }
    Struct after = ((Struct) event.value()).getStruct("after");
    return event.newRecord(
        event.topic(),
        null,
        event.keySchema(),
        event.key(),
        after.schema(),
        after,
        event.timestamp());
  }

  private static SourceRecord bonus(int bonusId, int employeeId, int amount) {
    Struct row = Payroll.bonus(BONUSES, bonusId, employeeId, amount);
    SourceRecord event = BONUSES.insert(row);
    return event.newRecord(
        event.topic(), null, event.keySchema(), event.key(), row.schema(), row, 0L);
  }

  /** The pipeline around the join: the connector's converters and the table topic's log. */
  private static final class Pipeline {
    final Combination combination;
    final JsonConverter keyWriter = new JsonConverter();
    final JsonConverter valueWriter = new JsonConverter();
    final JsonConverter mapReader = new JsonConverter();
    final List<byte[][]> log = new ArrayList<>();

    Pipeline(Combination combination) {
      this.combination = combination;
      Map<String, String> schemas =
          Map.of("schemas.enable", Boolean.toString(combination.writtenWithSchemas()));
      keyWriter.configure(schemas, true);
      valueWriter.configure(schemas, false);
      mapReader.configure(Map.of("schemas.enable", "false"), false);
    }

    /** A record as the chain sees it: a source's Struct, or a schemaless sink's Map. */
    SourceRecord asSeen(SourceRecord record, Records form) {
      return form == Records.STRUCTS ? record : ChangeEvents.schemaless(record);
    }

    /** Runs steps through a join; table records go to the log, joined records are returned. */
    List<JsonNode> run(LookupJoin<SourceRecord> join, List<SourceRecord> steps) throws IOException {
      List<JsonNode> joined = new ArrayList<>();
      for (SourceRecord step : steps) {
        boolean isTable = step.topic().equals(PAYROLL.topic());
        SourceRecord seen =
            asSeen(step, isTable ? combination.tableRecords() : combination.joinedRecords());
        SourceRecord out = join.apply(seen);
        if (isTable) {
          assertThat(out).isSameAs(seen);
          log.add(
              new byte[][] {
                keyWriter.fromConnectData(out.topic(), out.keySchema(), out.key()),
                valueWriter.fromConnectData(out.topic(), out.valueSchema(), out.value())
              });
        } else if (out != null) {
          byte[] bytes = valueWriter.fromConnectData(out.topic(), out.valueSchema(), out.value());
          joined.add(MAPPER.readTree(bytes));
        }
      }
      return joined;
    }

    LookupJoin<SourceRecord> join(int logged) {
      Map<String, String> settings = new HashMap<>();
      if (combination.setting() == TableSetting.TOLD) {
        String schemas = Boolean.toString(combination.writtenWithSchemas());
        settings.put("schemas.enable", schemas);
      }
      MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
      Node node = new Node(0, "localhost", 9092);
      consumer.updatePartitions(
          P0.topic(), List.of(new PartitionInfo(P0.topic(), 0, node, new Node[0], new Node[0])));
      consumer.updateBeginningOffsets(Map.of(P0, 0L));
      consumer.updateEndOffsets(Map.of(P0, (long) logged));
      List<byte[][]> records = List.copyOf(log.subList(0, logged));
      consumer.schedulePollTask(
          () -> {
            for (int offset = 0; offset < records.size(); offset++) {
              byte[][] kv = records.get(offset);
              consumer.addRecord(new ConsumerRecord<>(P0.topic(), 0, offset, kv[0], kv[1]));
            }
          });
      TopicTable table =
          new TopicTable(
              P0.topic(),
              consumer,
              TableConverter.create(TableConverter.JSON_CONVERTER, settings, true),
              TableConverter.create(TableConverter.JSON_CONVERTER, settings, false),
              List.of(),
              1000,
              1 << 20,
              TopicTable.LoadWait.TIMED);
      LookupJoin<SourceRecord> join =
          new LookupJoin.Value<>() {
            @Override
            protected LookupSource openSource(LookupJoinConfig config) {
              return table;
            }
          };
      join.configure(
          Map.of(
              LookupJoinConfig.SOURCE, "topic",
              LookupJoinConfig.TOPIC_NAME, P0.topic(),
              LookupJoinConfig.TOPIC_BOOTSTRAP, "unused:9092",
              LookupJoinConfig.KEY_FIELDS, "employee_id",
              LookupJoinConfig.JOIN_TYPE, "left",
              LookupJoinConfig.TIMEOUT_MS, "20000"));
      return join;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void aRestartAtAnyPointJoinsAsARunWithoutOne(Combination combination) throws IOException {
    List<SourceRecord> steps = scenario(combination.content());
    Pipeline pipeline = new Pipeline(combination);
    LookupJoin<SourceRecord> firstRun = pipeline.join(0);
    List<JsonNode> expected = pipeline.run(firstRun, steps);
    firstRun.close();
    // The oracle: bonus 1 before the rename, 2 after it, 3 while Cher exists, 4 after her delete
    // (a left join keeps it without employee fields), 6 for nobody.
    assertThat(expected)
        .extracting(n -> text(n, "last_name"))
        .containsExactly("Smith", "Smith-Jones", null, null, "Stone", null);
    assertThat(expected)
        .extracting(n -> text(n, "first_name"))
        .containsExactly("Alice", "Alicia", "Cher", null, "Bob", null);
    assertThat(expected)
        .extracting(n -> text(n, "hourly_rate"))
        .containsExactly("30", "35", "41", null, "25", null);
    assertThat(expected)
        .extracting(n -> text(n, "bonus"))
        .containsExactly("10", "20", "30", "40", "50", "60");

    for (int restartAt = 0; restartAt <= steps.size(); restartAt++) {
      Pipeline replay = new Pipeline(combination);
      replay.log.addAll(pipeline.log);
      int logged = tableRecordsBefore(steps, restartAt);
      replay.log.subList(logged, replay.log.size()).clear();
      LookupJoin<SourceRecord> restarted = replay.join(logged);
      List<JsonNode> after = replay.run(restarted, steps.subList(restartAt, steps.size()));
      restarted.close();
      assertThat(after)
          .as("joined after a restart before step %d", restartAt)
          .isEqualTo(expected.subList(expected.size() - after.size(), expected.size()));
      assertThat(after).hasSize(bonusesFrom(steps, restartAt));
    }
  }

  /** A field of a joined record as text, null when absent or null. */
  private static String text(JsonNode node, String field) {
    JsonNode payload = node.has("payload") && node.has("schema") ? node.get("payload") : node;
    JsonNode value = payload.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static int tableRecordsBefore(List<SourceRecord> steps, int index) {
    return (int)
        steps.subList(0, index).stream().filter(s -> s.topic().equals(PAYROLL.topic())).count();
  }

  private static int bonusesFrom(List<SourceRecord> steps, int index) {
    return (int)
        steps.subList(index, steps.size()).stream()
            .filter(s -> !s.topic().equals(PAYROLL.topic()))
            .count();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void inLineRowsEqualTheRowsARebuildReads(Combination combination) throws Exception {
    if (combination.setting() == TableSetting.DETECTED) {
      return; // until the topic shows its form, in-line rows are kept as they pass
    }
    List<SourceRecord> steps = scenario(combination.content());
    Pipeline pipeline = new Pipeline(combination);
    LookupJoin<SourceRecord> inLine = pipeline.join(0);
    pipeline.run(inLine, steps);
    LookupJoin<SourceRecord> rebuilt = pipeline.join(pipeline.log.size());
    rebuilt.source().awaitReady(Duration.ofSeconds(20));
    for (int id = 1; id <= 3; id++) {
      LookupKey key = LookupKey.of(id);
      assertThat(rebuilt.source().lookup(key))
          .as("employee %d", id)
          .isEqualTo(inLine.source().lookup(key));
    }
    assertThat(rebuilt.source().rowSchema()).isEqualTo(inLine.source().rowSchema());
    inLine.close();
    rebuilt.close();
  }

  @Test
  void aTableToldNoSchemasForATopicWithSchemasFailsInsteadOfHoldingEnvelopes() throws Exception {
    Pipeline pipeline =
        new Pipeline(
            new Combination(
                true, Content.ROWS, TableSetting.TOLD, Records.STRUCTS, Records.STRUCTS));
    pipeline.run(pipeline.join(0), scenario(Content.ROWS).subList(0, 3));
    Pipeline wrong =
        new Pipeline(
            new Combination(
                false, Content.ROWS, TableSetting.TOLD, Records.STRUCTS, Records.STRUCTS));
    wrong.log.addAll(pipeline.log);
    LookupJoin<SourceRecord> join = wrong.join(wrong.log.size());
    assertThatThrownBy(() -> join.apply(bonus(1, 1, 10)))
        .isInstanceOf(RetriableException.class)
        .hasStackTraceContaining("cannot read the record at pg.public.payroll-0@0")
        .hasStackTraceContaining("schemas.enable=false");
    join.close();
  }

  @Test
  void aTableToldTheWrongFormFailsNamingTheRecordAndTheSetting() throws Exception {
    Combination schemaless =
        new Combination(false, Content.ROWS, TableSetting.TOLD, Records.STRUCTS, Records.STRUCTS);
    Pipeline pipeline = new Pipeline(schemaless);
    pipeline.run(pipeline.join(0), scenario(Content.ROWS).subList(0, 3));
    Pipeline wrong =
        new Pipeline(
            new Combination(
                true, Content.ROWS, TableSetting.TOLD, Records.STRUCTS, Records.STRUCTS));
    wrong.log.addAll(pipeline.log);
    LookupJoin<SourceRecord> join = wrong.join(wrong.log.size());
    assertThatThrownBy(() -> join.apply(bonus(1, 1, 10)))
        .isInstanceOf(RetriableException.class)
        .hasStackTraceContaining("cannot read the record at pg.public.payroll-0@0")
        .hasStackTraceContaining("schemas.enable");
    join.close();
  }
}
