package io.pgsnow.sink.buffer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsnow.sink.ddl.ColumnTypes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Connect data written straight to a {@link JsonGenerator}, as the same JSON text {@link
 * ConnectJson#toJson} gives once serialised, without building the tree: the put() thread's hot
 * path. Values whose JSON only a tree defines exactly (text of the {@code io.debezium.data.Json}
 * logical type, values of no Connect type) still go through {@link ConnectJson}.
 */
final class ConnectJsonWriter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConnectJsonWriter() {}

  static void write(JsonGenerator g, Schema schema, Object value, ObjectMapper mapper)
      throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof Struct struct) {
      g.writeStartObject();
      for (Field f : struct.schema().fields()) {
        g.writeFieldName(f.name());
        write(g, f.schema(), struct.get(f), mapper);
      }
      g.writeEndObject();
    } else if (value instanceof Map<?, ?> map) {
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      g.writeStartObject();
      for (Map.Entry<String, ?> e : byName(map).entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, valueSchema, e.getValue(), mapper);
      }
      g.writeEndObject();
    } else if (value instanceof Collection<?> list) {
      Schema items = schema == null ? null : schema.valueSchema();
      g.writeStartArray();
      for (Object item : list) {
        write(g, items, item, mapper);
      }
      g.writeEndArray();
    } else {
      scalar(g, schema, value, mapper);
    }
  }

  /**
   * A map's entries by the JSON names of their keys; where two keys have one name, the last value
   * in the first one's place, as a JSON object node keeps them.
   */
  @SuppressWarnings("unchecked")
  static Map<String, ?> byName(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        Map<String, Object> named = new LinkedHashMap<>();
        map.forEach((k, v) -> named.put(String.valueOf(k), v));
        return named;
      }
    }
    return (Map<String, ?>) map;
  }

  private static void scalar(JsonGenerator g, Schema schema, Object value, ObjectMapper mapper)
      throws IOException {
    if (value instanceof String text) {
      if (ConnectJson.isJsonText(schema)) {
        g.writeTree(ConnectJson.toJson(schema, text, mapper));
      } else {
        g.writeString(text);
      }
    } else if (value instanceof Date date) {
      g.writeString(ConnectJson.temporal(schema, date));
    } else if (value instanceof BigDecimal decimal) {
      g.writeNumber(NODES.numberNode(decimal).decimalValue());
    } else if (value instanceof Double d) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        g.writeString(d.toString());
      } else {
        g.writeNumber(d);
      }
    } else if (value instanceof Float f) {
      if (Float.isNaN(f) || Float.isInfinite(f)) {
        g.writeString(f.toString());
      } else {
        g.writeNumber(f);
      }
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      byte[] bytes = ConnectJson.bytes(value);
      g.writeBinary(bytes, 0, bytes.length);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof BigInteger big) {
      g.writeNumber(big);
    } else {
      g.writeTree(mapper.valueToTree(value));
    }
  }

  /**
   * The Snowflake column type {@link ColumnTypes#of(JsonNode)} infers for the JSON of a schemaless
   * value, without building it.
   */
  static String columnType(Object value, ObjectMapper mapper) {
    if (value instanceof Struct || value instanceof Map<?, ?>) {
      return "OBJECT";
    }
    if (value instanceof Collection<?>) {
      return "ARRAY";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d) ? "VARCHAR" : "DOUBLE";
    }
    if (value instanceof BigDecimal) {
      return "DOUBLE";
    }
    return isText(value) ? "VARCHAR" : ColumnTypes.of(ConnectJson.toJson(null, value, mapper));
  }

  /** Whether a value without a schema becomes JSON text. */
  private static boolean isText(Object value) {
    return value instanceof String
        || value instanceof Date
        || value instanceof byte[]
        || value instanceof ByteBuffer;
  }
}
