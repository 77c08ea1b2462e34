package io.pgsnow.sink.buffer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.sink.ddl.ColumnTypes;
import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ddl.DdlBuilder.Column;
import io.pgsnow.sink.ddl.TableColumns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One sink record as one line of a stage file, in the official connector's row format: {@code
 * {"meta":{"offset":…,"topic":…,"partition":…,"key":…,"CreateTime":…,"headers":{…}}, "content":…}}.
 * With schematization the content's fields are top-level columns next to {@code RECORD_METADATA}.
 * The row is written with a {@link JsonGenerator} straight into a buffer reused from record to
 * record, so that a row costs no JSON tree and no array of its own. Not thread-safe: one per task.
 */
public final class RowSerializer {

  /** Snowflake's limit for one VARIANT value. */
  public static final int MAX_VARIANT_BYTES = 16 * 1024 * 1024;

  /** A buffer grown past this by a large row is dropped after it, so it does not stay that big. */
  private static final int KEPT_BUFFER_BYTES = 1024 * 1024;

  private final ObjectMapper mapper = new ObjectMapper();
  private final MetadataFields metadata;
  private final boolean schematized;
  private RowBytes out = new RowBytes();
  private Schema lastSchema;
  private List<Column> lastStructColumns;
  private List<String> lastFieldsAndTypes;
  private List<Column> lastMapColumns;

  public RowSerializer(MetadataFields metadata, boolean schematized) {
    this.metadata = metadata;
    this.schematized = schematized;
  }

  /**
   * A file row ({@code length} bytes of {@code buffer}) and, with schematization, the columns it
   * needs. The buffer is the serializer's: it holds the row until the next call to {@link #row}.
   */
  public record Row(byte[] buffer, int length, List<Column> columns) {

    /** A copy of the row's bytes. */
    public byte[] bytes() {
      return Arrays.copyOf(buffer, length);
    }
  }

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
    if (out.size() > KEPT_BUFFER_BYTES) {
      out = new RowBytes();
    }
    out.reset();
    List<Column> columns = List.of();
    try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (schematized) {
        g.writeFieldName(DdlBuilder.METADATA_COLUMN);
        meta(g, record);
        columns = fields(g, record);
      } else {
        g.writeFieldName("meta");
        meta(g, record);
        g.writeFieldName("content");
        if (record.value() == null) {
          g.writeStartObject();
          g.writeEndObject();
        } else {
          ConnectJsonWriter.write(g, record.valueSchema(), record.value(), mapper);
        }
      }
      g.writeEndObject();
    } catch (JsonProcessingException e) {
      throw new DataException("Cannot write the record as JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.size() > MAX_VARIANT_BYTES) {
      throw new DataException(
          "Record of "
              + out.size()
              + " bytes exceeds Snowflake's VARIANT limit of "
              + MAX_VARIANT_BYTES
              + " bytes");
    }
    return new Row(out.array(), out.size(), columns);
  }

  /** The value's fields as top-level keys; returns the columns they need. */
  private List<Column> fields(JsonGenerator g, SinkRecord record) throws IOException {
    Schema schema = record.valueSchema();
    Object value = record.value();
    if (value instanceof Struct struct
        && schema != null
        && (schema == struct.schema() || schema.equals(struct.schema()))) {
      for (Field f : schema.fields()) {
        reserved(f.name());
      }
      for (Field f : schema.fields()) {
        g.writeFieldName(f.name());
        Object fieldValue = struct.get(f);
        if (isBinary(f.schema()) && fieldValue != null) {
          g.writeString(HexFormat.of().formatHex(ConnectJson.bytes(fieldValue)));
        } else {
          ConnectJsonWriter.write(g, f.schema(), fieldValue, mapper);
        }
      }
      return structColumns(schema);
    }
    if (value instanceof Map<?, ?> map && (schema == null || schema.type() == Schema.Type.MAP)) {
      Map<String, ?> named = ConnectJsonWriter.byName(map);
      Schema values = schema == null ? null : schema.valueSchema();
      List<String> types = new ArrayList<>(named.size() * 2);
      for (Map.Entry<String, ?> e : named.entrySet()) {
        reserved(e.getKey());
        types.add(e.getKey());
        types.add(
            values != null
                ? ColumnTypes.of(values)
                : ConnectJsonWriter.columnType(e.getValue(), mapper));
      }
      for (Map.Entry<String, ?> e : named.entrySet()) {
        g.writeFieldName(e.getKey());
        ConnectJsonWriter.write(g, values, e.getValue(), mapper);
      }
      return mapColumns(types);
    }
    return treeFields(g, record);
  }

  /** Any other value (JSON text, a struct of another schema) as the tree it reads as. */
  private List<Column> treeFields(JsonGenerator g, SinkRecord record) throws IOException {
    JsonNode content = ConnectJson.toJson(record.valueSchema(), record.value(), mapper);
    if (content != null && content.isObject()) {
      for (Map.Entry<String, JsonNode> f : content.properties()) {
        reserved(f.getKey());
      }
      for (Map.Entry<String, JsonNode> f : content.properties()) {
        g.writeFieldName(f.getKey());
        g.writeTree(f.getValue());
      }
    }
    return TableColumns.needed(record.valueSchema(), content);
  }

  private List<Column> structColumns(Schema schema) {
    if (schema != lastSchema) {
      lastStructColumns = TableColumns.needed(schema, null);
      lastSchema = schema;
    }
    return lastStructColumns;
  }

  /** The columns of a schemaless object, given as field, type, field, type, …. */
  private List<Column> mapColumns(List<String> fieldsAndTypes) {
    if (!fieldsAndTypes.equals(lastFieldsAndTypes)) {
      Map<String, String> types = new LinkedHashMap<>();
      for (int i = 0; i < fieldsAndTypes.size(); i += 2) {
        types.put(fieldsAndTypes.get(i), fieldsAndTypes.get(i + 1));
      }
      lastMapColumns = TableColumns.needed(types);
      lastFieldsAndTypes = fieldsAndTypes;
    }
    return lastMapColumns;
  }

  private static void reserved(String field) {
    if (TableColumns.isReserved(field)) {
      throw new DataException("Field " + field + " collides with the metadata column of the table");
    }
  }

  /** Snowflake reads text into a BINARY column as hex, not base64. */
  private static boolean isBinary(Schema schema) {
    return schema.type() == Schema.Type.BYTES && schema.name() == null;
  }

  private void meta(JsonGenerator g, SinkRecord record) throws IOException {
    g.writeStartObject();
    if (metadata.all()) {
      if (metadata.offsetAndPartition()) {
        g.writeNumberField("offset", record.kafkaOffset());
      }
      if (metadata.topic()) {
        g.writeStringField("topic", record.topic());
      }
      if (metadata.offsetAndPartition()) {
        g.writeFieldName("partition");
        if (record.kafkaPartition() == null) {
          g.writeNull();
        } else {
          g.writeNumber(record.kafkaPartition());
        }
      }
      if (record.key() != null) {
        g.writeFieldName("key");
        ConnectJsonWriter.write(g, record.keySchema(), record.key(), mapper);
      }
      timestamp(g, record);
      if (!record.headers().isEmpty()) {
        g.writeFieldName("headers");
        headers(g, record.headers());
      }
    }
    g.writeEndObject();
  }

  private void timestamp(JsonGenerator g, SinkRecord record) throws IOException {
    if (metadata.createTime()
        && record.timestamp() != null
        && record.timestampType() != TimestampType.NO_TIMESTAMP_TYPE) {
      String name =
          record.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime";
      g.writeNumberField(name, record.timestamp());
    }
  }

  /** Headers by key; of headers sharing a key, the last one's value in the first one's place. */
  private void headers(JsonGenerator g, Headers headers) throws IOException {
    g.writeStartObject();
    for (Header h : headers) {
      if (headers.allWithName(h.key()).next() == h) {
        Header last = headers.lastWithName(h.key());
        g.writeFieldName(h.key());
        ConnectJsonWriter.write(g, last.schema(), last.value(), mapper);
      }
    }
    g.writeEndObject();
  }

  /** The generator's output, reused from row to row. */
  private static final class RowBytes extends ByteArrayOutputStream {
    RowBytes() {
      super(1024);
    }

    byte[] array() {
      return buf;
    }
  }
}
