package io.pgsnow.smt;

import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * A dotted path to a field of a record value ({@code employee_id}, {@code after.first_name}), read
 * the same way from a Struct and from a schemaless Map.
 */
public final class FieldPath {
  private final String text;
  private final String[] names;

  private FieldPath(String text) {
    this.text = text;
    this.names = text.split("\\.", -1);
    if (text.isBlank() || Arrays.stream(names).anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("Not a field path: '" + text + "'");
    }
  }

  public static FieldPath parse(String text) {
    return new FieldPath(text.trim());
  }

  /** The value at this path, or null when a parent on the way is null or a map lacks the key. */
  public Object get(Object root) {
    Object current = root;
    for (String name : names) {
      if (current == null) {
        return null;
      }
      if (current instanceof Struct struct) {
        Field field = struct.schema().field(name);
        if (field == null) {
          throw new DataException("Field '" + text + "' not found in " + struct.schema().name());
        }
        current = struct.get(field);
      } else if (current instanceof Map<?, ?> map) {
        current = map.get(name);
      } else {
        throw new DataException(
            "Field '" + text + "': '" + name + "' is inside a " + current.getClass().getName());
      }
    }
    return current;
  }

  /** The schema of the field at this path. */
  public Schema schema(Schema root) {
    Schema current = root;
    for (String name : names) {
      if (current.type() != Schema.Type.STRUCT || current.field(name) == null) {
        throw new DataException("Field '" + text + "' not found in schema " + root.name());
      }
      current = current.field(name).schema();
    }
    return current;
  }

  @Override
  public String toString() {
    return text;
  }
}
