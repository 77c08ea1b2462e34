package io.pgsnow.smt.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a record of a table topic into a key and a row. Values may be change-event envelopes (the
 * row is {@code after}; a delete has none) or plain rows, so the CDC topics work as they are,
 * before or after unwrapping. A null value deletes.
 */
final class TableRecordDecoder {
  private static final String DELETED = "__deleted";

  private final List<String> keyFields;

  /**
   * @param keyFields the fields of the record key that make the lookup key, in order; empty takes
   *     all fields of a struct key in schema order, the only entry of a map key, or a primitive key
   */
  TableRecordDecoder(List<String> keyFields) {
    this.keyFields = List.copyOf(keyFields);
  }

  LookupKey key(Object key) {
    if (key instanceof Struct struct) {
      List<Object> parts = new ArrayList<>();
      if (keyFields.isEmpty()) {
        for (Field field : struct.schema().fields()) {
          parts.add(struct.get(field));
        }
      } else {
        for (String name : keyFields) {
          parts.add(struct.get(name));
        }
      }
      return LookupKey.of(parts);
    }
    if (key instanceof Map<?, ?> map) {
      if (keyFields.isEmpty()) {
        if (map.size() != 1) {
          throw new DataException(
              "Cannot tell the key fields of map key " + map + ": set the table key fields");
        }
        return LookupKey.of(map.values().iterator().next());
      }
      return LookupKey.of(keyFields.stream().map(map::get).toList());
    }
    if (key == null) {
      throw new DataException("A table record needs a key");
    }
    return LookupKey.of(key);
  }

  /** The row state a value carries, or null for a delete. */
  Object row(Object value) {
    if (value instanceof Struct struct
        && struct.schema().field("op") != null
        && struct.schema().field("after") != null) {
      return struct.get("after");
    }
    if (value instanceof Map<?, ?> map && map.containsKey("op") && map.containsKey("after")) {
      return map.get("after");
    }
    return isRewrittenDelete(value) ? null : value;
  }

  /** A delete that unwrapping in a rewrite mode turned into a row flagged {@code __deleted}. */
  private static boolean isRewrittenDelete(Object value) {
    if (value instanceof Struct struct && struct.schema().field(DELETED) != null) {
      return "true".equals(String.valueOf(struct.get(DELETED)));
    }
    return value instanceof Map<?, ?> map && "true".equals(String.valueOf(map.get(DELETED)));
  }
}
