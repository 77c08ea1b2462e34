package io.pgsnow.converter;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes a Connect value as JsonConverter's payload JSON, token by token into a generator: the same
 * decisions as {@code JsonConverter.convertToJson} (nulls and defaults, logical types chosen by
 * schema name, schemaless values typed by their class, maps with string keys as objects and other
 * maps as arrays of pairs), without building a tree.
 *
 * <p>A value it cannot write exactly as JsonConverter would (a bad value, or a map key whose text
 * JsonConverter derives in an unusual way) makes it throw; the converter then hands the whole
 * record to JsonConverter, which writes it or throws its own error.
 */
final class JsonValueWriter {
  private final boolean replaceNullWithDefault;
  private final boolean numericDecimals;

  JsonValueWriter(boolean replaceNullWithDefault, boolean numericDecimals) {
    this.replaceNullWithDefault = replaceNullWithDefault;
    this.numericDecimals = numericDecimals;
  }

  /** Thrown for a value this writer leaves to JsonConverter. */
  static final class NotHandled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotHandled(String reason) {
      super(reason, null, false, false);
    }
  }

  void write(JsonGenerator g, Schema schema, Object value) throws IOException {
    if (value == null) {
      writeNull(g, schema);
      return;
    }
    if (schema != null && schema.name() != null && writeLogical(g, schema, value)) {
      return;
    }
    writeTyped(g, schema, value);
  }

  private void writeTyped(JsonGenerator g, Schema schema, Object value) throws IOException {
    Schema.Type type = schema == null ? ConnectSchema.schemaType(value.getClass()) : schema.type();
    if (type == null) {
      throw new DataException(
          "Java class " + value.getClass() + " does not have corresponding schema type.");
    }
    switch (type) {
      case INT8 -> g.writeNumber(((Byte) value).intValue());
      case INT16 -> g.writeNumber((Short) value);
      case INT32 -> g.writeNumber((Integer) value);
      case INT64 -> g.writeNumber((Long) value);
      case FLOAT32 -> g.writeNumber((Float) value);
      case FLOAT64 -> g.writeNumber((Double) value);
      case BOOLEAN -> g.writeBoolean((Boolean) value);
      case STRING -> g.writeString(((CharSequence) value).toString());
      case BYTES -> writeBytes(g, value);
      case ARRAY -> writeArray(g, schema, (Collection<?>) value);
      case MAP -> writeMap(g, schema, (Map<?, ?>) value);
      case STRUCT -> writeStruct(g, schema, value);
      default -> throw new DataException("Couldn't convert " + value + " to JSON.");
    }
  }

  private void writeNull(JsonGenerator g, Schema schema) throws IOException {
    // Without a schema JsonConverter returns no node, which its containers write as null.
    if (schema == null) {
      g.writeNull();
    } else if (schema.defaultValue() != null && replaceNullWithDefault) {
      write(g, schema, schema.defaultValue());
    } else if (schema.isOptional()) {
      g.writeNull();
    } else {
      throw new DataException(
          "Conversion error: null value for field that is required and has no default value");
    }
  }

  /** Writes a logical type chosen by name, as JsonConverter does; false if the name is not one. */
  private boolean writeLogical(JsonGenerator g, Schema schema, Object value) throws IOException {
    switch (schema.name()) {
      case Decimal.LOGICAL_NAME -> {
        if (!(value instanceof BigDecimal decimal)) {
          throw new DataException("Invalid type for Decimal: " + value.getClass());
        }
        if (numericDecimals) {
          g.writeNumber(decimal);
        } else {
          g.writeBinary(Decimal.fromLogical(schema, decimal));
        }
      }
      case Date.LOGICAL_NAME -> g.writeNumber(Date.fromLogical(schema, date(value)));
      case Time.LOGICAL_NAME -> g.writeNumber(Time.fromLogical(schema, date(value)));
      case Timestamp.LOGICAL_NAME -> g.writeNumber(Timestamp.fromLogical(schema, date(value)));
      default -> {
        return false;
      }
    }
    return true;
  }

  private static java.util.Date date(Object value) {
    if (value instanceof java.util.Date date) {
      return date;
    }
    throw new DataException("Invalid type for a date or time: " + value.getClass());
  }

  private static void writeBytes(JsonGenerator g, Object value) throws IOException {
    if (value instanceof byte[] bytes) {
      g.writeBinary(bytes);
    } else if (value instanceof ByteBuffer buffer) {
      // The whole backing array, whatever the position and limit: what JsonConverter writes.
      g.writeBinary(buffer.array());
    } else {
      throw new DataException("Invalid type for bytes type: " + value.getClass());
    }
  }

  private void writeArray(JsonGenerator g, Schema schema, Collection<?> values) throws IOException {
    Schema valueSchema = schema == null ? null : schema.valueSchema();
    g.writeStartArray();
    for (Object element : values) {
      write(g, valueSchema, element);
    }
    g.writeEndArray();
  }

  private void writeMap(JsonGenerator g, Schema schema, Map<?, ?> map) throws IOException {
    Schema keySchema = schema == null ? null : schema.keySchema();
    Schema valueSchema = schema == null ? null : schema.valueSchema();
    if (schema == null ? allStringKeys(map) : keySchema.type() == Schema.Type.STRING) {
      if (keySchema != null && keySchema.name() != null) {
        throw new NotHandled("a named key schema");
      }
      g.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        // Distinct String keys are distinct names; a null or other CharSequence key may not be.
        if (!(entry.getKey() instanceof String key)) {
          throw new NotHandled("a map key that is not a String");
        }
        g.writeFieldName(key);
        write(g, valueSchema, entry.getValue());
      }
      g.writeEndObject();
    } else {
      g.writeStartArray();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        g.writeStartArray();
        write(g, keySchema, entry.getKey());
        write(g, valueSchema, entry.getValue());
        g.writeEndArray();
      }
      g.writeEndArray();
    }
  }

  private static boolean allStringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private void writeStruct(JsonGenerator g, Schema schema, Object value) throws IOException {
    if (!(value instanceof Struct struct)
        || schema == null
        || (struct.schema() != schema && !struct.schema().equals(schema))) {
      throw new DataException("Mismatching schema.");
    }
    g.writeStartObject();
    for (Field field : schema.fields()) {
      g.writeFieldName(field.name());
      // get(field) fills in the default, which is what a null becomes when defaults replace nulls.
      Object fieldValue =
          replaceNullWithDefault ? struct.get(field) : struct.getWithoutDefault(field.name());
      write(g, field.schema(), fieldValue);
    }
    g.writeEndObject();
  }
}
