package io.pgsnow.source.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordSizeLimitTest {
  private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema ROW =
      SchemaBuilder.struct()
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("body", Schema.OPTIONAL_STRING_SCHEMA)
          .field("photo", Schema.OPTIONAL_BYTES_SCHEMA)
          .build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .build();

  private static SourceRecord change(int id, String body, byte[] photo) {
    Struct after = new Struct(ROW).put("id", id).put("body", body).put("photo", photo);
    Struct source = new Struct(SOURCE).put("schema", "public").put("table", "docs");
    Struct value = new Struct(ENVELOPE).put("after", after).put("source", source).put("op", "c");
    return new SourceRecord(
        Map.of(),
        Map.of(),
        "pg.public.docs",
        null,
        KEY,
        new Struct(KEY).put("id", id),
        ENVELOPE,
        value);
  }

  /** The records as the reader threads queue them: each measured on its way to the queue. */
  private static List<SourceRecord> queued(RecordSizeLimit limit, List<SourceRecord> batch) {
    batch.forEach(limit::measure);
    return batch;
  }

  @Test
  void countsTheCharactersAndBytesAnyConverterWrites() {
    SourceRecord record = change(7, "x".repeat(1000), new byte[500]);
    // body, photo, "public", "docs", "c"; numbers count nothing.
    assertThat(RecordSizeLimit.lowerBound(record)).isEqualTo(1000 + 500 + 6 + 4 + 1);
    assertThat(RecordSizeLimit.lowerBound(List.of("ab", ByteBuffer.wrap(new byte[3]), 12L)))
        .isEqualTo(5);
    assertThat(RecordSizeLimit.lowerBound(Map.of("key", "value"))).isEqualTo(8);
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("h", "1234");
    SourceRecord withHeaders =
        new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null, null, 0L, headers);
    assertThat(RecordSizeLimit.lowerBound(withHeaders)).isEqualTo(5);
  }

  @Test
  void passesRecordsWithinTheLimit() {
    RecordSizeLimit limit = new RecordSizeLimit(2000, "test");
    List<SourceRecord> batch = List.of(change(1, "a", null), change(2, "x".repeat(1500), null));
    assertThat(limit.admit(queued(limit, batch))).isSameAs(batch);
  }

  @Test
  void handsOverTheRecordsBeforeALargeOneThenFailsNamingTableKeySizeAndSettings() {
    RecordSizeLimit limit = new RecordSizeLimit(1000, "the producer's default max.request.size");
    List<SourceRecord> batch =
        List.of(change(1, "a", null), change(2, "x".repeat(5000), null), change(3, "b", null));
    assertThat(limit.admit(queued(limit, batch)))
        .extracting(r -> ((Struct) r.key()).get("id"))
        .containsExactly(1);
    assertThatThrownBy(() -> limit.admit(queued(limit, List.of(change(3, "b", null)))))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("table public.docs")
        .hasMessageContaining("key Struct{id=2}")
        .hasMessageContaining("topic pg.public.docs")
        .hasMessageContaining("at least 5011 bytes")
        .hasMessageContaining("5000 in column body")
        .hasMessageContaining("limit of 1000 bytes (the producer's default max.request.size)")
        .hasMessageContaining("producer.override.max.request.size")
        .hasMessageContaining("connector.client.config.override.policy")
        .hasMessageContaining("max.message.bytes")
        .hasMessageContaining("topic.creation.default.max.message.bytes")
        .hasMessageContaining("Nothing was skipped");
    assertThatThrownBy(limit::throwIfExceeded).isInstanceOf(ConnectException.class);
  }

  @Test
  void failsAtOnceWhenTheFirstRecordIsTooLarge() {
    RecordSizeLimit limit = new RecordSizeLimit(100, "record.size.max.bytes");
    assertThatThrownBy(() -> limit.admit(queued(limit, List.of(change(9, null, new byte[101])))))
        .hasMessageContaining("key Struct{id=9}")
        .hasMessageContaining("101 in column photo")
        .hasMessageContaining("(record.size.max.bytes)");
  }

  @Test
  void aLimitOfZeroChecksNothing() {
    RecordSizeLimit limit = new RecordSizeLimit(0, "record.size.max.bytes");
    List<SourceRecord> batch = List.of(change(1, "x".repeat(10_000), null));
    assertThat(limit.admit(queued(limit, batch))).isSameAs(batch);
  }

  @Test
  void recordsMeasuredOnOtherThreadsAreStoppedWhereTheyComeInTheBatch() throws Exception {
    RecordSizeLimit limit = new RecordSizeLimit(1000, "test");
    List<SourceRecord> batch =
        List.of(change(1, "a", null), change(2, "b", null), change(3, "x".repeat(5000), null));
    // Readers measure in parallel, in any order; poll() only looks the large record up.
    ExecutorService readers = Executors.newFixedThreadPool(3);
    try {
      for (Future<?> f :
          readers.invokeAll(
              batch.stream().map(r -> Executors.callable(() -> limit.measure(r))).toList())) {
        f.get();
      }
    } finally {
      readers.shutdownNow();
    }
    assertThat(limit.admit(batch))
        .extracting(r -> ((Struct) r.key()).get("id"))
        .containsExactly(1, 2);
    assertThatThrownBy(() -> limit.admit(List.of(change(4, "c", null))))
        .hasMessageContaining("key Struct{id=3}");
  }

  @Test
  void aRecordNotMeasuredIsNotLookedAtInPoll() {
    RecordSizeLimit limit = new RecordSizeLimit(10, "test");
    List<SourceRecord> batch = List.of(change(1, "x".repeat(100), null));
    assertThat(limit.admit(batch)).isSameAs(batch);
  }

  @Test
  void aLongKeyIsShortenedInTheMessage() {
    Schema key = SchemaBuilder.struct().field("k", Schema.STRING_SCHEMA).build();
    SourceRecord record =
        new SourceRecord(
            Map.of(),
            Map.of(),
            "t",
            null,
            key,
            new Struct(key).put("k", "k".repeat(5000)),
            null,
            null);
    RecordSizeLimit limit = new RecordSizeLimit(10, "test");
    assertThatThrownBy(() -> limit.admit(queued(limit, List.of(record))))
        .hasMessageContaining("...")
        .hasMessageContaining("A change of a table")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(1500));
  }
}
