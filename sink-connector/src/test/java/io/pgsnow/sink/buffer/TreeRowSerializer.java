package io.pgsnow.sink.buffer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ddl.DdlBuilder.Column;
import io.pgsnow.sink.ddl.TableColumns;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The row writer as it was before rows were streamed: a Jackson tree built value by value from
 * {@link ConnectJson#toJson}, then serialised. Kept as the reference {@link RowSerializer} must
 * match byte for byte ({@code RowSerializerEquivalenceTest}) and as the "before" of the sink's
 * put() benchmark.
 */
public final class TreeRowSerializer {

  private static final int MAX_VARIANT_BYTES = RowSerializer.MAX_VARIANT_BYTES;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper mapper = new ObjectMapper();
  private final MetadataFields metadata;
  private final boolean schematized;

  public TreeRowSerializer(MetadataFields metadata, boolean schematized) {
    this.metadata = metadata;
    this.schematized = schematized;
  }

  /** A file row and, with schematization, the columns it needs. */
  public record Row(byte[] bytes, List<Column> columns) {}

  /**
   * @throws DataException when the record cannot become a row (invalid JSON text, too large)
   */
  public byte[] serialize(SinkRecord record) {
    return row(record).bytes();
  }

  /**
   * @throws DataException when the record cannot become a row (invalid JSON text, too large, a
   *     field named like the metadata column)
   */
  public Row row(SinkRecord record) {
    JsonNode content = ConnectJson.toJson(record.valueSchema(), record.value(), mapper);
    ObjectNode row = NODES.objectNode();
    List<Column> columns = List.of();
    if (schematized) {
      row.set(DdlBuilder.METADATA_COLUMN, meta(record));
      if (content != null && content.isObject()) {
        hexBinaryFields(record.valueSchema(), (ObjectNode) content);
        for (Map.Entry<String, JsonNode> f : content.properties()) {
          if (TableColumns.isReserved(f.getKey())) {
            throw new DataException(
                "Field " + f.getKey() + " collides with the metadata column of the table");
          }
          row.set(f.getKey(), f.getValue());
        }
      }
      columns = TableColumns.needed(record.valueSchema(), content);
    } else {
      row.set("meta", meta(record));
      row.set("content", content == null ? NODES.objectNode() : content);
    }
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(row);
    } catch (JsonProcessingException e) {
      throw new DataException("Cannot write the record as JSON: " + e.getOriginalMessage(), e);
    }
    if (bytes.length > MAX_VARIANT_BYTES) {
      throw new DataException(
          "Record of "
              + bytes.length
              + " bytes exceeds Snowflake's VARIANT limit of "
              + MAX_VARIANT_BYTES
              + " bytes");
    }
    return new Row(bytes, columns);
  }

  /** Snowflake reads text into a BINARY column as hex, not base64. */
  private static void hexBinaryFields(Schema schema, ObjectNode content) {
    if (schema == null || schema.type() != Schema.Type.STRUCT) {
      return;
    }
    for (Field f : schema.fields()) {
      JsonNode value = content.get(f.name());
      if (f.schema().type() == Schema.Type.BYTES
          && f.schema().name() == null
          && value != null
          && value.isTextual()) {
        content.put(f.name(), HexFormat.of().formatHex(Base64.getDecoder().decode(value.asText())));
      }
    }
  }

  private void putTimestamp(ObjectNode meta, SinkRecord record) {
    if (metadata.createTime()
        && record.timestamp() != null
        && record.timestampType() != TimestampType.NO_TIMESTAMP_TYPE) {
      String name =
          record.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime";
      meta.put(name, record.timestamp());
    }
  }

  private ObjectNode meta(SinkRecord record) {
    ObjectNode meta = NODES.objectNode();
    if (!metadata.all()) {
      return meta;
    }
    if (metadata.offsetAndPartition()) {
      meta.put("offset", record.kafkaOffset());
    }
    if (metadata.topic()) {
      meta.put("topic", record.topic());
    }
    if (metadata.offsetAndPartition()) {
      meta.put("partition", record.kafkaPartition());
    }
    if (record.key() != null) {
      meta.set("key", ConnectJson.toJson(record.keySchema(), record.key(), mapper));
    }
    putTimestamp(meta, record);
    if (!record.headers().isEmpty()) {
      ObjectNode headers = meta.putObject("headers");
      for (Header h : record.headers()) {
        JsonNode value = ConnectJson.toJson(h.schema(), h.value(), mapper);
        headers.set(h.key(), value == null ? NODES.nullNode() : value);
      }
    }
    return meta;
  }
}
