package io.pgsnow.sink.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a table's models are made of: the layout of its records and the columns of its rows, in the
 * order the fields come. {@code keyed} tells whether the records carry a key (a primary key).
 */
public record ModelShape(Layout layout, List<ModelColumn> columns, boolean keyed) {

  public ModelShape {
    columns = List.copyOf(columns);
  }

  /**
   * This shape with the columns of {@code other} it lacks appended, so a model never loses a
   * column; a column keeps its first type.
   */
  public ModelShape merge(ModelShape other) {
    Map<String, ModelColumn> merged = new LinkedHashMap<>();
    for (ModelColumn c : columns) {
      merged.putIfAbsent(key(c), c);
    }
    for (ModelColumn c : other.columns) {
      merged.putIfAbsent(key(c), c);
    }
    return new ModelShape(other.layout, new ArrayList<>(merged.values()), keyed || other.keyed);
  }

  /** Whether {@code other} has a column this shape lacks. */
  public boolean lacksColumnsOf(ModelShape other) {
    var known = columns.stream().map(ModelShape::key).toList();
    return other.columns.stream().anyMatch(c -> !known.contains(key(c)));
  }

  private static String key(ModelColumn c) {
    return c.name().resolved().toUpperCase(Locale.ROOT);
  }
}
