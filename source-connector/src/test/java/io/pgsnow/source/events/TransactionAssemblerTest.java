package io.pgsnow.source.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.source.config.DecimalHandling;
import io.pgsnow.source.config.Operation;
import io.pgsnow.source.config.SchemaNameAdjustment;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.decoding.PgOutputDecoder;
import io.pgsnow.source.decoding.PgOutputFixtures;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.schema.ColumnTypes;
import io.pgsnow.source.schema.TypeResolver;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class TransactionAssemblerTest {
  private static final TableFilter ALL =
      new TableFilter(List.of(), List.of(), List.of(), List.of());

  private static TransactionAssembler.Settings settings(
      TableFilter filter, Set<Operation> skipped) {
    return settings(filter, skipped, Long.MAX_VALUE);
  }

  private static TransactionAssembler.Settings settings(
      TableFilter filter, Set<Operation> skipped, long maxStreamedBytes) {
    return new TransactionAssembler.Settings(
        "pg",
        filter,
        skipped,
        true,
        new ColumnTypes(DecimalHandling.PRECISE, TypeResolver.NONE),
        // full_emp is the REPLICA IDENTITY FULL table of the fixture; its primary key is id.
        relationId -> List.of("id"),
        new SourceInfo("test", "pg", "db"),
        maxStreamedBytes,
        new TopicAssignments(new TopicNamer("pg", SchemaNameAdjustment.AVRO)),
        null,
        null);
  }

  private static List<SourceRecord> run(
      String fixture, TransactionAssembler.Settings settings, SourcePosition resumeAfter)
      throws InterruptedException {
    List<SourceRecord> out = new ArrayList<>();
    TransactionAssembler assembler =
        new TransactionAssembler(settings, resumeAfter, out::add, () -> 42L);
    PgOutputDecoder decoder = new PgOutputDecoder();
    long lsn = 1;
    for (ByteBuffer buffer : PgOutputFixtures.load(fixture)) {
      assembler.accept(decoder.decode(buffer), lsn++);
    }
    return out;
  }

  private static String describe(SourceRecord r) {
    String key = r.key() == null ? "-" : String.valueOf(((Struct) r.key()).get("id"));
    if (r.value() == null) {
      return r.topic() + " tombstone " + key;
    }
    return r.topic() + " " + ((Struct) r.value()).getString("op") + " " + key;
  }

  @Test
  void emitsDebeziumEventsInCommitOrder() throws Exception {
    List<SourceRecord> records = run("v1-changes.hex", settings(ALL, Set.of()), null);
    assertThat(records)
        .extracting(TransactionAssemblerTest::describe)
        .containsExactly(
            "pg.public.emp c 1",
            "pg.public.emp c 2",
            "pg.public.emp u 1",
            "pg.public.emp d 2",
            "pg.public.emp tombstone 2",
            "pg.public.emp c 3",
            "pg.public.emp d 1",
            "pg.public.emp tombstone 1",
            "pg.public.full_emp c 1",
            "pg.public.full_emp u 1",
            "pg.public.emp t -");
  }

  @Test
  void buildsRowImagesWithConvertedValues() throws Exception {
    List<SourceRecord> records = run("v1-changes.hex", settings(ALL, Set.of()), null);
    Struct created = ((Struct) records.get(0).value()).getStruct("after");
    assertThat(created.getInt32("id")).isEqualTo(1);
    assertThat(created.getString("name")).isEqualTo("Sheridan");
    assertThat(created.get("rate")).isEqualTo(new BigDecimal("23.50"));
    Struct source = ((Struct) records.get(0).value()).getStruct("source");
    assertThat(source.getString("table")).isEqualTo("emp");
    assertThat(source.getInt64("txId")).isEqualTo(0x2d5L);
    assertThat(((Struct) records.get(0).value()).getInt64("ts_ms")).isEqualTo(42L);

    Struct keyChangeDelete = (Struct) records.get(3).value();
    assertThat(keyChangeDelete.getStruct("before").getInt32("id")).isEqualTo(2);
    assertThat(keyChangeDelete.getStruct("after")).isNull();

    Struct fullUpdate = (Struct) records.get(9).value();
    assertThat(fullUpdate.getStruct("before").getString("name")).isEqualTo("x");
    assertThat(fullUpdate.getStruct("after").getString("name")).isEqualTo("y");

    SourceRecord truncate = records.get(10);
    assertThat(truncate.key()).isNull();
    assertThat(truncate.keySchema()).isNull();
  }

  @Test
  void givesEveryRecordAnIncreasingPosition() throws Exception {
    List<SourceRecord> records = run("v1-changes.hex", settings(ALL, Set.of()), null);
    List<SourcePosition> positions =
        records.stream()
            .map(r -> SourcePosition.fromOffset(r.sourceOffset()).orElseThrow())
            .toList();
    for (int i = 1; i < positions.size(); i++) {
      assertThat(positions.get(i)).isGreaterThan(positions.get(i - 1));
    }
    // Both rows of the two-row INSERT share one commit LSN and differ by event.
    assertThat(positions.get(0).commitLsn()).isEqualTo(positions.get(1).commitLsn());
    assertThat(positions.get(0).event()).isLessThan(positions.get(1).event());
  }

  @Test
  void resumesRightAfterTheLastCommittedRecord() throws Exception {
    List<SourceRecord> all = run("v1-changes.hex", settings(ALL, Set.of()), null);
    for (int cut = 0; cut < all.size(); cut++) {
      SourcePosition resume = SourcePosition.fromOffset(all.get(cut).sourceOffset()).orElseThrow();
      List<SourceRecord> resumed = run("v1-changes.hex", settings(ALL, Set.of()), resume);
      assertThat(resumed)
          .extracting(TransactionAssemblerTest::describe)
          .as("resuming after record %d", cut)
          .containsExactlyElementsOf(
              all.subList(cut + 1, all.size()).stream()
                  .map(TransactionAssemblerTest::describe)
                  .toList());
    }
  }

  @Test
  void skipsConfiguredOperationsAndFilteredTablesWithoutShiftingPositions() throws Exception {
    TableFilter onlyEmp =
        new TableFilter(List.of(), List.of(), List.of(Pattern.compile("public\\.emp")), List.of());
    List<SourceRecord> all = run("v1-changes.hex", settings(ALL, Set.of()), null);
    List<SourceRecord> filtered =
        run(
            "v1-changes.hex",
            settings(onlyEmp, Set.of(Operation.UPDATE, Operation.TRUNCATE)),
            null);
    assertThat(filtered)
        .extracting(TransactionAssemblerTest::describe)
        .containsExactly(
            "pg.public.emp c 1",
            "pg.public.emp c 2",
            "pg.public.emp d 2",
            "pg.public.emp tombstone 2",
            "pg.public.emp c 3",
            "pg.public.emp d 1",
            "pg.public.emp tombstone 1");
    assertThat(filtered.get(2).sourceOffset()).isEqualTo(all.get(3).sourceOffset());
  }

  @Test
  void holdsStreamedTransactionsUntilCommitAndDropsRolledBackWork() throws Exception {
    List<SourceRecord> records = run("v2-streamed.hex", settings(ALL, Set.of()), null);
    assertThat(records).hasSize(2002);
    assertThat(records)
        .extracting(r -> ((Struct) r.value()).getStruct("after").getString("name"))
        .containsOnly("streamed", "kept");
    assertThat(records)
        .extracting(r -> ((Struct) r.value()).getStruct("source").getInt64("txId"))
        .containsOnly(((Struct) records.get(0).value()).getStruct("source").getInt64("txId"));
    assertThat(records.get(0).sourceOffset().get("lsn_commit"))
        .isEqualTo(records.get(2001).sourceOffset().get("lsn_commit"));
  }

  @Test
  void refusesToHoldMoreOfAStreamedTransactionThanItsBound() throws Exception {
    // The fixture's streamed transaction holds 2,000+ changes of about 100 bytes each.
    assertThatThrownBy(() -> run("v2-streamed.hex", settings(ALL, Set.of(), 64 * 1024), null))
        .isInstanceOf(StreamedTransactionTooLargeException.class)
        .hasMessageContaining("pgoutput.streaming.max.buffered.bytes=65536");
    // Within the bound, the same stream goes through whole; what was held is released at commit,
    // so the bound applies to what is held at once, not to the total streamed.
    assertThat(run("v2-streamed.hex", settings(ALL, Set.of(), 1L << 20), null)).hasSize(2002);
  }

  @Test
  void resumesInsideAStreamedTransaction() throws Exception {
    List<SourceRecord> all = run("v2-streamed.hex", settings(ALL, Set.of()), null);
    SourcePosition resume = SourcePosition.fromOffset(all.get(1500).sourceOffset()).orElseThrow();
    List<SourceRecord> resumed = run("v2-streamed.hex", settings(ALL, Set.of()), resume);
    assertThat(resumed).hasSize(2002 - 1501);
    assertThat(resumed.get(0).sourceOffset()).isEqualTo(all.get(1501).sourceOffset());
  }

  @Test
  void failsClearlyOnAChangeBeforeItsRelation() {
    List<ByteBuffer> buffers = PgOutputFixtures.load("v1-changes.hex");
    TransactionAssembler assembler =
        new TransactionAssembler(settings(ALL, Set.of()), null, r -> {}, () -> 0L);
    PgOutputDecoder decoder = new PgOutputDecoder();
    assertThatThrownBy(
            () -> {
              assembler.accept(decoder.decode(buffers.get(0)), 1);
              assembler.accept(decoder.decode(buffers.get(2)), 2);
            })
        .hasMessageContaining("before its Relation");
  }

  @Test
  void columnListsShapeTheRowsButNeverTheKey() throws Exception {
    TableFilter withoutName =
        ALL.withColumns(List.of(), List.of(Pattern.compile("public\\.emp\\.name")));
    SourceRecord create = run("v1-changes.hex", settings(withoutName, Set.of()), null).get(0);
    Struct after = ((Struct) create.value()).getStruct("after");
    assertThat(after.schema().field("name")).isNull();
    assertThat(after.get("id")).isEqualTo(1);

    TableFilter onlyName =
        ALL.withColumns(List.of(Pattern.compile("public\\.emp\\.name")), List.of());
    create = run("v1-changes.hex", settings(onlyName, Set.of()), null).get(0);
    after = ((Struct) create.value()).getStruct("after");
    assertThat(after.schema().fields()).extracting(f -> f.name()).containsExactly("name");
    assertThat(((Struct) create.key()).get("id")).as("the key keeps its columns").isEqualTo(1);
    assertThat(((Struct) create.value()).schema().field("before").schema())
        .isSameAs(after.schema());
  }

  @Test
  void aHeartbeatPositionBeforeACommitSkipsNothingOfThatTransaction() throws Exception {
    List<SourceRecord> all = run("v1-changes.hex", settings(ALL, Set.of()), null);
    long firstCommit =
        SourcePosition.fromOffset(all.get(0).sourceOffset()).orElseThrow().commitLsn();
    List<SourceRecord> resumed =
        run(
            "v1-changes.hex",
            settings(ALL, Set.of()),
            new SourcePosition(firstCommit, Long.MIN_VALUE, 0L));
    assertThat(resumed)
        .extracting(SourceRecord::sourceOffset)
        .isEqualTo(all.stream().map(SourceRecord::sourceOffset).toList());
  }

  @Test
  void transactionMetadataRecordsAndBlocksAreTheSameWhereverARestartResumes() throws Exception {
    TransactionAssembler.Settings base = settings(ALL, Set.of());
    TransactionAssembler.Settings metadata =
        new TransactionAssembler.Settings(
            base.topicPrefix(),
            base.filter(),
            base.skipped(),
            base.tombstonesOnDelete(),
            base.columnTypes(),
            base.primaryKeys(),
            base.sourceInfo(),
            base.maxStreamedBytes(),
            base.topics(),
            null,
            "pg.transaction");
    List<SourceRecord> all = run("v1-changes.hex", metadata, null);
    assertThat(all.get(0).topic()).isEqualTo("pg.transaction");
    assertThat(((Struct) all.get(0).value()).getString("status")).isEqualTo("BEGIN");
    SourceRecord end = all.get(all.size() - 1);
    assertThat(((Struct) end.value()).getString("status")).isEqualTo("END");
    long changes =
        all.stream()
            .filter(r -> !r.topic().equals("pg.transaction") && r.value() != null)
            .filter(r -> ((Struct) r.value()).getStruct("transaction") != null)
            .filter(
                r ->
                    ((Struct) r.value())
                        .getStruct("transaction")
                        .getString("id")
                        .equals(((Struct) end.value()).getString("id")))
            .count();
    assertThat(((Struct) end.value()).getInt64("event_count")).isEqualTo(changes).isPositive();
    for (int i = 0; i < all.size(); i++) {
      SourcePosition after = SourcePosition.fromOffset(all.get(i).sourceOffset()).orElseThrow();
      List<SourceRecord> resumed = run("v1-changes.hex", metadata, after);
      List<SourceRecord> rest = all.subList(i + 1, all.size());
      assertThat(resumed)
          .extracting(SourceRecord::sourceOffset)
          .as("after record %d", i)
          .isEqualTo(rest.stream().map(SourceRecord::sourceOffset).toList());
      assertThat(resumed)
          .extracting(SourceRecord::value)
          .as("after record %d", i)
          .isEqualTo(rest.stream().map(SourceRecord::value).toList());
    }
  }
}
