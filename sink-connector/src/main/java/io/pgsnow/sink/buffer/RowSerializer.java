package io.pgsnow.sink.buffer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One sink record as one line of a stage file, in the official connector's row format: {@code
 * {"meta":{"offset":…,"topic":…,"partition":…,"key":…,"CreateTime":…,"headers":{…}}, "content":…}}.
 * With schematization the content's fields are top-level columns next to {@code RECORD_METADATA}.
 */
public final class RowSerializer {

  /** Snowflake's limit for one VARIANT value. */
  public static final int MAX_VARIANT_BYTES = 16 * 1024 * 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper mapper = new ObjectMapper();
  private final MetadataFields metadata;
  private final boolean schematized;

  public RowSerializer(MetadataFields metadata, boolean schematized) {
    this.metadata = metadata;
    this.schematized = schematized;
  }

  /**
   * @throws DataException when the record cannot become a row (invalid JSON text, too large)
   */
  public byte[] serialize(SinkRecord record) {
    JsonNode content = ConnectJson.toJson(record.valueSchema(), record.value(), mapper);
    ObjectNode row = NODES.objectNode();
    if (schematized) {
      row.set("RECORD_METADATA", meta(record));
      if (content != null && content.isObject()) {
        for (Map.Entry<String, JsonNode> f : content.properties()) {
          row.set(f.getKey(), f.getValue());
        }
      }
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
    return bytes;
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
