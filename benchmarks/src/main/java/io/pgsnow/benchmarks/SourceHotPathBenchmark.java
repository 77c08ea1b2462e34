package io.pgsnow.benchmarks;

import io.pgsnow.source.config.DecimalHandling;
import io.pgsnow.source.config.SchemaNameAdjustment;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.decoding.PgOutputDecoder;
import io.pgsnow.source.events.SourceInfo;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.schema.ColumnTypes;
import io.pgsnow.source.schema.TypeResolver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The source's pure hot path on captured pgoutput bytes (PostgreSQL 15, proto_version 1): a
 * transaction of {@value #ROWS} inserts into {@code emp(id int, name text, rate numeric)}, built
 * from the Begin, Relation, Insert and Commit messages of {@code
 * source-connector/src/test/resources/pgoutput/v1-changes.hex}. Decoding alone, decoding plus
 * building the Debezium-shaped records, and that plus the JSON converter (schemas on) the worker
 * runs next. Scores are per row.
 */
@State(Scope.Thread)
public class SourceHotPathBenchmark extends AverageTimeBenchmark {
  static final int ROWS = 1000;
  static final Path FIXTURE =
      Path.of("source-connector", "src", "test", "resources", "pgoutput", "v1-changes.hex");

  /** The fixture from the repository root (benchmarks/run) or from this module (its tests). */
  private static Path fixture() {
    return Files.exists(FIXTURE) ? FIXTURE : Path.of("..").resolve(FIXTURE);
  }

  private List<ByteBuffer> transaction;
  private TransactionAssembler.Settings settings;
  private JsonConverter keyConverter;
  private JsonConverter valueConverter;

  @Setup
  public void setUp() throws IOException {
    List<ByteBuffer> captured = new ArrayList<>();
    for (String line : Files.readAllLines(fixture(), StandardCharsets.US_ASCII)) {
      if (!line.isBlank()) {
        captured.add(ByteBuffer.wrap(HexFormat.of().parseHex(line.trim())));
      }
    }
    // Begin, Relation emp, Insert, Insert, Commit, ... in the capture.
    transaction = new ArrayList<>();
    transaction.add(captured.get(0));
    transaction.add(captured.get(1));
    for (int i = 0; i < ROWS; i++) {
      transaction.add(captured.get(2));
    }
    transaction.add(captured.get(4));
    settings = settings("id");
    keyConverter = new JsonConverter();
    keyConverter.configure(Map.of("schemas.enable", "true"), true);
    valueConverter = new JsonConverter();
    valueConverter.configure(Map.of("schemas.enable", "true"), false);
  }

  /**
   * The source's settings for the benchmarks: topic prefix {@code pg}, every table and column, the
   * defaults otherwise; {@code keyColumn} the primary key of every table.
   */
  static TransactionAssembler.Settings settings(String keyColumn) {
    return new TransactionAssembler.Settings(
        "pg",
        new TableFilter(List.of(), List.of(), List.of(), List.of()),
        Set.of(),
        true,
        new ColumnTypes(DecimalHandling.PRECISE, TypeResolver.NONE),
        relationId -> List.of(keyColumn),
        new SourceInfo("bench", "pg", "db"),
        Long.MAX_VALUE,
        new TopicAssignments(new TopicNamer("pg", SchemaNameAdjustment.AVRO)),
        null,
        null);
  }

  /** The records of the transaction, each handed to {@code sink}. */
  private void assemble(TransactionAssembler.RecordSink sink) throws InterruptedException {
    PgOutputDecoder decoder = new PgOutputDecoder();
    TransactionAssembler assembler = new TransactionAssembler(settings, null, sink, () -> 42L);
    long lsn = 0x1000;
    for (ByteBuffer message : transaction) {
      assembler.accept(decoder.decode(message.duplicate()), lsn++);
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS + 3)
  public void decode(Blackhole bh) {
    PgOutputDecoder decoder = new PgOutputDecoder();
    for (ByteBuffer message : transaction) {
      bh.consume(decoder.decode(message.duplicate()));
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void decodeAndBuildRecords(Blackhole bh) throws InterruptedException {
    assemble(bh::consume);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void decodeBuildAndJsonConvert(Blackhole bh) throws InterruptedException {
    assemble(
        record -> {
          bh.consume(
              keyConverter.fromConnectData(record.topic(), record.keySchema(), record.key()));
          bh.consume(
              valueConverter.fromConnectData(record.topic(), record.valueSchema(), record.value()));
        });
  }

  /** How many records the transaction gives, for the fixture test. */
  int records() throws InterruptedException {
    List<SourceRecord> out = new ArrayList<>();
    assemble(out::add);
    return out.size();
  }
}
