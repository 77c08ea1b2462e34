package io.pgsnow.source.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Debezium's {@code column.include.list} and {@code column.exclude.list}: regular expressions
 * matching {@code schema.table.column} (whole name), mutually exclusive.
 */
public final class ColumnFilterKeys {
  public static final String INCLUDE = "column.include.list";
  public static final String EXCLUDE = "column.exclude.list";

  private ColumnFilterKeys() {}

  /** Adds the keys to {@code def}; {@code group} and {@code order} place them in the docs. */
  public static void define(ConfigDef def, ConfigDef.Validator regexList, String group, int order) {
    def.define(
        INCLUDE,
        Type.LIST,
        "",
        regexList,
        Importance.LOW,
        "Comma-separated regular expressions matching the columns (schema.table.column, whole-name"
            + " match) to keep in change events' before and after; every other column is left out."
            + " Empty keeps every column not excluded. Primary-key columns stay in the record key"
            + " either way, as in Debezium. Not together with column.exclude.list.",
        group,
        order,
        Width.LONG,
        "Columns to include");
    def.define(
        EXCLUDE,
        Type.LIST,
        "",
        regexList,
        Importance.LOW,
        "Comma-separated regular expressions matching the columns (schema.table.column, whole-name"
            + " match) to leave out of change events' before and after. Primary-key columns stay in"
            + " the record key, as in Debezium. Not together with column.include.list.",
        group,
        order + 1,
        Width.LONG,
        "Columns to exclude");
  }

  /** Errors by key: both lists set. */
  public static Map<String, String> errors(Map<String, String> props) {
    Map<String, String> errors = new LinkedHashMap<>();
    if (isSet(props.get(INCLUDE)) && isSet(props.get(EXCLUDE))) {
      errors.put(
          EXCLUDE, "column.include.list and column.exclude.list cannot be used together; set one");
    }
    return errors;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
