package io.pgsnow.sink.buffer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect data (Struct with schema, or schemaless maps, lists and primitives) as JSON for a
 * VARIANT. Only values that are JSON by their type become JSON objects and arrays: structs, maps
 * and lists (schemaless ones included), and text of the {@code io.debezium.data.Json} logical type
 * (a PostgreSQL {@code json}/{@code jsonb} column), which is parsed; such text that is not JSON is
 * a bad record. Any other text stays the same text, whatever it looks like, as the official
 * connector writes a string value (a record read with the StringConverter, say): {@code '[1, 2]'}
 * is a string, not an array.
 */
final class ConnectJson {

  /** Debezium's logical type for JSON text. */
  static final String JSON_LOGICAL_TYPE = "io.debezium.data.Json";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConnectJson() {}

  static JsonNode toJson(Schema schema, Object value, ObjectMapper mapper) {
    if (value == null) {
      return null;
    }
    if (value instanceof Struct struct) {
      ObjectNode node = NODES.objectNode();
      for (Field f : struct.schema().fields()) {
        JsonNode child = toJson(f.schema(), struct.get(f), mapper);
        node.set(f.name(), child == null ? NODES.nullNode() : child);
      }
      return node;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = NODES.objectNode();
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        JsonNode child = toJson(valueSchema, e.getValue(), mapper);
        node.set(String.valueOf(e.getKey()), child == null ? NODES.nullNode() : child);
      }
      return node;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode node = NODES.arrayNode();
      Schema items = schema == null ? null : schema.valueSchema();
      for (Object item : list) {
        JsonNode child = toJson(items, item, mapper);
        node.add(child == null ? NODES.nullNode() : child);
      }
      return node;
    }
    return scalar(schema, value, mapper);
  }

  private static JsonNode scalar(Schema schema, Object value, ObjectMapper mapper) {
    if (value instanceof String text) {
      return isJsonText(schema) ? json(text, mapper) : NODES.textNode(text);
    }
    if (value instanceof Date date) {
      return NODES.textNode(temporal(schema, date));
    }
    if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d)
          ? NODES.textNode(value.toString())
          : mapper.valueToTree(value);
    }
    if (value instanceof byte[] || value instanceof ByteBuffer) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes(value)));
    }
    return mapper.valueToTree(value);
  }

  static byte[] bytes(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] copy = new byte[buffer.remaining()];
    buffer.get(copy);
    return copy;
  }

  static boolean isJsonText(Schema schema) {
    return schema != null
        && schema.type() == Schema.Type.STRING
        && JSON_LOGICAL_TYPE.equals(schema.name());
  }

  private static JsonNode json(String text, ObjectMapper mapper) {
    try {
      JsonNode node =
          mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new DataException("Invalid JSON in an " + JSON_LOGICAL_TYPE + " value: no value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new DataException(
          "Invalid JSON in an " + JSON_LOGICAL_TYPE + " value: " + e.getOriginalMessage(), e);
    }
  }

  static String temporal(Schema schema, Date date) {
    String logical = schema == null ? null : schema.name();
    if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
      return LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC).toString();
    }
    if (Time.LOGICAL_NAME.equals(logical)) {
      return LocalTime.ofInstant(date.toInstant(), ZoneOffset.UTC).toString();
    }
    if (Timestamp.LOGICAL_NAME.equals(logical) || logical == null) {
      return Instant.ofEpochMilli(date.getTime()).toString();
    }
    return Instant.ofEpochMilli(date.getTime()).toString();
  }
}
