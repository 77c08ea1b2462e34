package io.pgsnow.smt.lookup;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Columns whose TOASTed value did not change in an update, which PostgreSQL does not send: the
 * source connector leaves them null in the row and names them in the {@value #HEADER} header. The
 * table keeps the value it holds for them; taking the null would lose it.
 */
final class UnchangedToastColumns {
  /** The header the pgsnow source connector writes (comma-separated column names). */
  static final String HEADER = "pgsnow.unchanged.toast.columns";

  private UnchangedToastColumns() {}

  /** The columns a header value names: text, possibly quoted by a JSON header converter. */
  static Set<String> parse(Object headerValue) {
    if (headerValue == null) {
      return Set.of();
    }
    String text = headerValue.toString().trim();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1);
    }
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The row with its unchanged columns taken from the previous row of its key, when there is one.
   */
  static Object carryOver(Object row, Object previous, Set<String> columns) {
    if (columns.isEmpty() || row == null || previous == null) {
      return row;
    }
    if (row instanceof Map<?, ?> map && previous instanceof Map<?, ?> old) {
      Map<Object, Object> filled = new LinkedHashMap<>(map);
      for (String column : columns) {
        if (filled.get(column) == null && old.containsKey(column)) {
          filled.put(column, old.get(column));
        }
      }
      return filled;
    }
    if (row instanceof Struct struct && previous instanceof Struct old) {
      Struct filled = new Struct(struct.schema());
      for (Field field : struct.schema().fields()) {
        Object value = struct.get(field);
        Field before = old.schema().field(field.name());
        if (value == null
            && columns.contains(field.name())
            && before != null
            && before.schema().equals(field.schema())) {
          value = old.get(before);
        }
        filled.put(field, value);
      }
      return filled;
    }
    return row;
  }
}
