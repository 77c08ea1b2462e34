package io.pgsnow.sink.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class BufferTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SinkRecord record(Schema schema, Object value, long offset) {
    SinkRecord r =
        new SinkRecord(
            "t",
            2,
            Schema.STRING_SCHEMA,
            "k1",
            schema,
            value,
            offset,
            1700L,
            TimestampType.CREATE_TIME);
    r.headers().addString("h", "v");
    return r;
  }

  @Test
  void rowsHaveTheOfficialShape() throws Exception {
    RowSerializer serializer = new RowSerializer(MetadataFields.ALL, false);
    Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    JsonNode row =
        JSON.readTree(serializer.serialize(record(schema, new Struct(schema).put("id", 7L), 5)));
    assertThat(row.get("meta").toString())
        .isEqualTo(
            "{\"offset\":5,\"topic\":\"t\",\"partition\":2,\"key\":\"k1\",\"CreateTime\":1700,"
                + "\"headers\":{\"h\":\"v\"}}");
    assertThat(row.get("content").toString()).isEqualTo("{\"id\":7}");
    JsonNode schemaless =
        JSON.readTree(serializer.serialize(record(null, Map.of("a", List.of(1, 2)), 6)));
    assertThat(schemaless.get("content").toString()).isEqualTo("{\"a\":[1,2]}");
    assertThat(JSON.readTree(serializer.serialize(record(null, null, 7))).get("content").toString())
        .isEqualTo("{}");
  }

  @Test
  void schematizedRowsCarryFieldsAsTopLevelKeys() throws Exception {
    RowSerializer serializer = new RowSerializer(MetadataFields.ALL, true);
    Schema schema =
        SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("raw", Schema.OPTIONAL_BYTES_SCHEMA)
            .build();
    RowSerializer.Row row =
        serializer.row(
            record(schema, new Struct(schema).put("id", 7L).put("raw", new byte[] {1, -1}), 5));
    JsonNode json = JSON.readTree(row.bytes());
    assertThat(json.get("RECORD_METADATA").get("offset").asLong()).isEqualTo(5);
    assertThat(json.get("id").asLong()).isEqualTo(7);
    assertThat(json.get("raw").asText()).isEqualTo("01ff");
    assertThat(json.has("content")).isFalse();
    assertThat(row.columns())
        .extracting(Object::toString)
        .containsExactly("ID NUMBER", "RAW BINARY");
    RowSerializer.Row schemaless = serializer.row(record(null, Map.of("note", "n"), 6));
    assertThat(JSON.readTree(schemaless.bytes()).get("note").asText()).isEqualTo("n");
    assertThat(schemaless.columns()).extracting(Object::toString).containsExactly("NOTE VARCHAR");
    assertThatThrownBy(() -> serializer.row(record(null, Map.of("Record_Metadata", 1), 7)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("metadata column");
  }

  @Test
  void textStaysTextWhateverItLooksLike() throws Exception {
    RowSerializer serializer = new RowSerializer(MetadataFields.ALL, false);
    for (String text : List.of("[1,2", "[1, 2]", "{\"a\":1}", "{", " {\"a\":", "")) {
      JsonNode content = JSON.readTree(serializer.serialize(record(null, text, 1))).get("content");
      assertThat(content.isTextual()).as(text).isTrue();
      assertThat(content.asText()).isEqualTo(text);
      JsonNode typed =
          JSON.readTree(serializer.serialize(record(Schema.OPTIONAL_STRING_SCHEMA, text, 1)));
      assertThat(typed.get("content").asText()).isEqualTo(text);
    }
    Schema schema = SchemaBuilder.struct().field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
    JsonNode row =
        JSON.readTree(
            serializer.serialize(record(schema, new Struct(schema).put("note", "[1, 2]"), 1)));
    assertThat(row.get("content").get("note").isTextual()).isTrue();
    assertThat(row.get("content").get("note").asText()).isEqualTo("[1, 2]");
  }

  @Test
  void jsonTypedTextBecomesJsonAndInvalidJsonTextIsABadRecord() throws Exception {
    RowSerializer serializer = new RowSerializer(MetadataFields.ALL, false);
    Schema json = SchemaBuilder.string().name("io.debezium.data.Json").optional().build();
    Schema schema = SchemaBuilder.struct().field("doc", json).field("tags", json).build();
    JsonNode row =
        JSON.readTree(
            serializer.serialize(
                record(
                    schema,
                    new Struct(schema).put("doc", "{\"a\": [1, 2]}").put("tags", "[\"x\"]"),
                    1)));
    assertThat(row.get("content").toString()).isEqualTo("{\"doc\":{\"a\":[1,2]},\"tags\":[\"x\"]}");
    for (String broken : List.of("{\"a\":", "[1,2", "{} trailing", "")) {
      assertThatThrownBy(
              () -> serializer.serialize(record(schema, new Struct(schema).put("doc", broken), 1)))
          .as(broken)
          .isInstanceOf(DataException.class)
          .hasMessageContaining("Invalid JSON");
    }
    RowSerializer schematized = new RowSerializer(MetadataFields.ALL, true);
    assertThat(
            schematized
                .row(record(schema, new Struct(schema).put("doc", "{}").put("tags", "[]"), 1))
                .columns())
        .extracting(Object::toString)
        .containsExactly("DOC VARIANT", "TAGS VARIANT");
  }

  @Test
  void metadataCanBeTrimmed() throws Exception {
    RowSerializer serializer =
        new RowSerializer(new MetadataFields(true, false, false, false), false);
    JsonNode row = JSON.readTree(serializer.serialize(record(null, "x", 1)));
    assertThat(row.get("meta").has("topic")).isFalse();
    assertThat(row.get("meta").has("offset")).isFalse();
    assertThat(row.get("meta").has("CreateTime")).isFalse();
  }

  @Test
  void bufferSealsGzippedLinesWithItsOffsetRange() throws Exception {
    PartitionBuffer buffer = new PartitionBuffer();
    buffer.add(3, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 0);
    buffer.add(5, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), 10);
    assertThat(buffer.age(1_000_000_000L)).isEqualTo(Duration.ofSeconds(1));
    SealedFile file = buffer.seal();
    assertThat(file.startOffset()).isEqualTo(3);
    assertThat(file.endOffset()).isEqualTo(5);
    assertThat(file.records()).isEqualTo(2);
    String text =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(file.gzip())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    assertThat(buffer.isEmpty()).isTrue();
  }

  @Test
  void flushPolicyByCountBytesAndAge() {
    SealPolicy policy = new SealPolicy(10, 100, Duration.ofSeconds(5));
    assertThat(policy.isDue(0, 0, Duration.ofHours(1))).isFalse();
    assertThat(policy.isDue(10, 1, Duration.ZERO)).isTrue();
    assertThat(policy.isDue(1, 100, Duration.ZERO)).isTrue();
    assertThat(policy.isDue(1, 1, Duration.ofSeconds(5))).isTrue();
    assertThat(policy.isDue(1, 1, Duration.ofSeconds(4))).isFalse();
  }
}
