package io.pgsnow.smt.lookup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The Connect schema of a table's schemaless rows (Maps of JSON values, as a converter without
 * schemas reads them), merged over every row the table has held, so that a field keeps one type
 * whichever row a join finds and whether the row came in-line or from the topic. A record with a
 * schema joined with such a row gets its fields typed from here: integers as int64, other numbers
 * as float64 (an int64 field that also holds fractions widens to float64), objects as structs with
 * their fields sorted by name, every field optional. A field seen only as null is typed as a string
 * until a value tells its type.
 *
 * <p>Immutable: {@link #merge} returns this instance when the row adds nothing, so a join's cache
 * of output schemas keeps hitting.
 */
public final class InferredRowSchema {
  /** Nothing seen yet. */
  public static final InferredRowSchema EMPTY = new InferredRowSchema(Shape.struct(Map.of()));

  private final Shape shape;
  private Schema schema;

  private InferredRowSchema(Shape shape) {
    this.shape = shape;
  }

  /** This schema widened by the fields of one more row; this instance when nothing changes. */
  public InferredRowSchema merge(Map<?, ?> row) {
    Shape merged = shape.merge(Shape.of(row));
    return merged.equals(shape) ? this : new InferredRowSchema(merged);
  }

  /** The row schema: an optional struct. */
  public synchronized Schema schema() {
    if (schema == null) {
      schema = shape.schema();
    }
    return schema;
  }

  /** A schemaless row as a Struct of {@link #schema()}. */
  public Struct toStruct(Map<?, ?> row) {
    return (Struct) conform(row, schema(), "");
  }

  private static Object conform(Object value, Schema schema, String path) {
    if (value == null) {
      return null;
    }
    return switch (schema.type()) {
      case STRUCT -> conformStruct(value, schema, path);
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        for (Object item : (List<?>) value) {
          items.add(conform(item, schema.valueSchema(), path + "[]"));
        }
        yield items;
      }
      case INT64 -> ((Number) value).longValue();
      case FLOAT64 -> ((Number) value).doubleValue();
      case BYTES -> value instanceof ByteBuffer buffer ? buffer : ByteBuffer.wrap((byte[]) value);
      case STRING -> value instanceof String ? value : mismatch(value, schema, path);
      default -> value;
    };
  }

  private static Object conformStruct(Object value, Schema schema, String path) {
    if (!(value instanceof Map<?, ?> map)) {
      return mismatch(value, schema, path);
    }
    Struct struct = new Struct(schema);
    for (Field field : schema.fields()) {
      struct.put(field, conform(map.get(field.name()), field.schema(), path + field.name() + "."));
    }
    return struct;
  }

  private static Object mismatch(Object value, Schema schema, String path) {
    throw new DataException(
        "Lookup row field '"
            + path.replaceAll("\\.$", "")
            + "' holds a "
            + value.getClass().getSimpleName()
            + " where earlier rows held "
            + schema.type());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferredRowSchema other && other.shape.equals(shape);
  }

  @Override
  public int hashCode() {
    return shape.hashCode();
  }

  @Override
  public String toString() {
    return shape.toString();
  }

  /**
   * A type as far as the rows tell it: {@code UNKNOWN} (only nulls seen), a primitive, an array of
   * a shape, a struct of named shapes, or {@code CONFLICT} (values of types that do not merge).
   */
  private record Shape(Kind kind, Shape element, Map<String, Shape> fields) {
    private static final Shape UNKNOWN = new Shape(Kind.UNKNOWN, null, null);

    enum Kind {
      UNKNOWN,
      BOOLEAN,
      INT64,
      FLOAT64,
      STRING,
      BYTES,
      ARRAY,
      STRUCT,
      CONFLICT
    }

    static Shape struct(Map<String, Shape> fields) {
      return new Shape(Kind.STRUCT, null, Map.copyOf(fields));
    }

    static Shape of(Object value) {
      if (value == null) {
        return UNKNOWN;
      }
      if (value instanceof Map<?, ?> map) {
        Map<String, Shape> fields = new TreeMap<>();
        map.forEach((name, v) -> fields.put(String.valueOf(name), of(v)));
        return struct(fields);
      }
      if (value instanceof List<?> list) {
        Shape element = UNKNOWN;
        for (Object item : list) {
          element = element.merge(of(item));
        }
        return new Shape(Kind.ARRAY, element, null);
      }
      return new Shape(primitive(value), null, null);
    }

    private static Kind primitive(Object value) {
      if (value instanceof Boolean) {
        return Kind.BOOLEAN;
      }
      if (value instanceof Long
          || value instanceof Integer
          || value instanceof Short
          || value instanceof Byte) {
        return Kind.INT64;
      }
      if (value instanceof Double || value instanceof Float) {
        return Kind.FLOAT64;
      }
      if (value instanceof String) {
        return Kind.STRING;
      }
      if (value instanceof byte[] || value instanceof ByteBuffer) {
        return Kind.BYTES;
      }
      return Kind.CONFLICT;
    }

    Shape merge(Shape other) {
      if (other.kind == Kind.UNKNOWN || equals(other)) {
        return this;
      }
      if (kind == Kind.UNKNOWN) {
        return other;
      }
      if (kind == Kind.STRUCT && other.kind == Kind.STRUCT) {
        Map<String, Shape> merged = new TreeMap<>(fields);
        other.fields.forEach((name, shape) -> merged.merge(name, shape, Shape::merge));
        return struct(merged);
      }
      if (kind == Kind.ARRAY && other.kind == Kind.ARRAY) {
        return new Shape(Kind.ARRAY, element.merge(other.element), null);
      }
      boolean numbers =
          (kind == Kind.INT64 || kind == Kind.FLOAT64)
              && (other.kind == Kind.INT64 || other.kind == Kind.FLOAT64);
      return new Shape(numbers ? Kind.FLOAT64 : Kind.CONFLICT, null, null);
    }

    Schema schema() {
      return switch (kind) {
        case UNKNOWN, STRING -> Schema.OPTIONAL_STRING_SCHEMA;
        case BOOLEAN -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
        case INT64 -> Schema.OPTIONAL_INT64_SCHEMA;
        case FLOAT64 -> Schema.OPTIONAL_FLOAT64_SCHEMA;
        case BYTES -> Schema.OPTIONAL_BYTES_SCHEMA;
        case ARRAY -> SchemaBuilder.array(element.schema()).optional().build();
        case STRUCT -> {
          SchemaBuilder builder = SchemaBuilder.struct().optional();
          new TreeMap<>(fields).forEach((name, shape) -> builder.field(name, shape.schema()));
          yield builder.build();
        }
        case CONFLICT ->
            throw new DataException(
                "Lookup rows hold values of different types in one field; a record with a"
                    + " schema cannot be joined with them (read the table with schemas, or join"
                    + " records without schemas)");
      };
    }
  }
}
