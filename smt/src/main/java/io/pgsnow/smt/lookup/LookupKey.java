package io.pgsnow.smt.lookup;

import java.util.ArrayList;
import java.util.List;

/**
 * The key of a lookup: the values of one or more key fields. Integral numbers are normalised to
 * {@code Long}, because the same column arrives as int32 in a Struct and as a Long from schemaless
 * JSON, and the two must find the same row.
 *
 * @param parts the normalised key values, in key-field order
 */
public record LookupKey(List<Object> parts) {
  public LookupKey {
    parts = java.util.Collections.unmodifiableList(new ArrayList<>(parts));
  }

  public static LookupKey of(List<?> values) {
    List<Object> parts = new ArrayList<>(values.size());
    for (Object value : values) {
      parts.add(normalise(value));
    }
    return new LookupKey(parts);
  }

  public static LookupKey of(Object... values) {
    return of(java.util.Arrays.asList(values));
  }

  /** Whether any part is null: such a key never matches (as in SQL). */
  public boolean hasNull() {
    return parts.contains(null);
  }

  private static Object normalise(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    return value;
  }
}
