package io.pgsnow.source.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Debezium's {@code message.key.columns}: {@code <table>:<column>[,<column>...]} entries separated
 * by {@code ;}, where {@code <table>} is a regular expression matching {@code schema.table} and
 * each {@code <column>} one matching column names (whole-name matches). A table matched by an entry
 * has the columns it names, in the table's column order, as its record key.
 */
public final class MessageKeyColumns {
  public static final String KEY = "message.key.columns";

  /** No custom keys: every table keyed by its replica identity. */
  public static final MessageKeyColumns NONE = new MessageKeyColumns(List.of());

  private final List<Entry> entries;

  private record Entry(Pattern table, List<Pattern> columns) {}

  private MessageKeyColumns(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Parses a value; throws a ConfigException on {@link #KEY} naming what is wrong. */
  public static MessageKeyColumns parse(String value) {
    List<Entry> entries = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return NONE;
    }
    for (String entry : value.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw invalid(value, "'" + entry.trim() + "' is not <schema.table>:<column>[,<column>...]");
      }
      Pattern table = compile(value, entry.substring(0, colon).trim());
      List<Pattern> columns = new ArrayList<>();
      for (String column : entry.substring(colon + 1).split(",", -1)) {
        if (column.isBlank()) {
          throw invalid(value, "'" + entry.trim() + "' has an empty column name");
        }
        columns.add(compile(value, column.trim()));
      }
      entries.add(new Entry(table, columns));
    }
    return new MessageKeyColumns(entries);
  }

  private static Pattern compile(String value, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw invalid(value, "'" + regex + "' is not a regular expression: " + e.getDescription());
    }
  }

  private static ConfigException invalid(String value, String why) {
    return new ConfigException(
        KEY,
        value,
        why + " (expected <schema.table>:<column>[,<column>...] entries separated by ;)");
  }

  /**
   * The columns of {@code columns} (a table's, in its order) that form the key of {@code
   * schema.table}; empty when no entry matches the table or none of its columns.
   */
  public List<String> of(String schema, String table, List<String> columns) {
    String qualified = schema + "." + table;
    for (Entry entry : entries) {
      if (!entry.table().matcher(qualified).matches()) {
        continue;
      }
      List<String> key = new ArrayList<>();
      for (String column : columns) {
        if (entry.columns().stream().anyMatch(p -> p.matcher(column).matches())) {
          key.add(column);
        }
      }
      if (!key.isEmpty()) {
        return key;
      }
    }
    return List.of();
  }

  /** Checks the syntax where the ConfigDef validates each key. */
  private static final class Syntax implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      parse((String) value);
    }

    @Override
    public String toString() {
      return "<schema.table>:<column>[,<column>...][;...], regular expressions";
    }
  }

  /** Adds the key to {@code def}; {@code group} and {@code order} place it in the docs. */
  public static void define(ConfigDef def, String group, int order) {
    def.define(
        KEY,
        Type.STRING,
        "",
        new Syntax(),
        Importance.LOW,
        "Record keys made of other columns than the replica identity, as Debezium's"
            + " message.key.columns: entries <schema.table>:<column>[,<column>...] separated by ;,"
            + " the table and each column a regular expression matching the whole name (for"
            + " example public\\.orders:customer_id,order_no;public\\.items.*:sku). The key"
            + " holds the matched columns in the table's column order (optional fields unless"
            + " they belong to the replica identity). A delete's key is built from the old row"
            + " PostgreSQL sends, which has only the replica identity unless the table has"
            + " REPLICA IDENTITY FULL: set it when the key has other columns. Tables no entry"
            + " matches keep their replica-identity key.",
        group,
        order,
        Width.LONG,
        "Message key columns");
  }
}
