package io.pgsnow.sink.model;

import io.pgsnow.sink.ddl.TableColumns;
import io.pgsnow.sink.naming.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL of a table's models. {@code <TABLE>_VIEW}: one row per change, typed, with the change's
 * operation, position, Kafka coordinates and {@code CREATED_AT}. {@code <TABLE>_CURRENT}: one row
 * per key holding the latest state, ordered by the source position (commit LSN, then the change's
 * index in its transaction), never by Kafka offset; deletes remove the key, a truncate removes
 * every change before it, and an unchanged TOAST value keeps the key's previous value. Pure: it
 * runs nothing.
 */
public final class ModelSql {

  static final String OP = "\"_PGSNOW_OP\"";
  static final String LSN = "\"_PGSNOW_LSN\"";
  static final String INDEX = "\"_PGSNOW_INDEX\"";
  static final String KEY = "\"_PGSNOW_KEY\"";
  static final String UNCHANGED = "\"_PGSNOW_UNCHANGED\"";
  static final String LATER_TRUNCATES = "\"_PGSNOW_LATER_TRUNCATES\"";
  static final String UNCHANGED_TOAST_HEADER = "pgsnow.unchanged.toast.columns";
  static final String CREATED_AT = "TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR)";

  private static final String POSITION = LSN + ", " + INDEX;
  private static final String ALL_BEFORE = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";

  /** The view's change columns: name, SQL; left out when a row field has the same name. */
  private static final List<String[]> CHANGE_COLUMNS =
      List.of(
          new String[] {"CREATED_AT", CREATED_AT},
          new String[] {"_OPERATION", OP},
          new String[] {"_COMMIT_LSN", LSN},
          new String[] {"_EVENT_INDEX", INDEX},
          new String[] {"_KAFKA_TOPIC", "RECORD_METADATA:\"topic\"::VARCHAR"},
          new String[] {"_KAFKA_PARTITION", "RECORD_METADATA:\"partition\"::NUMBER"},
          new String[] {"_KAFKA_OFFSET", "RECORD_METADATA:\"offset\"::NUMBER"});

  private ModelSql() {}

  public static Identifier viewName(Identifier table) {
    return suffixed(table, "_VIEW");
  }

  public static Identifier currentName(Identifier table) {
    return suffixed(table, "_CURRENT");
  }

  private static Identifier suffixed(Identifier table, String suffix) {
    return new Identifier(table.name() + suffix, table.quoted());
  }

  /** {@code CREATE OR REPLACE VIEW <TABLE>_VIEW}: every change, typed. */
  public static String view(Identifier table, ModelShape shape) {
    Layout layout = shape.layout();
    List<String> select = new ArrayList<>();
    Set<String> taken =
        shape.columns().stream()
            .map(c -> c.name().resolved().toUpperCase(Locale.ROOT))
            .collect(Collectors.toSet());
    for (ModelColumn c : shape.columns()) {
      select.add(layout.field(c.field()).read(c.type()) + " AS " + c.name().sql());
    }
    for (String[] change : CHANGE_COLUMNS) {
      boolean position = change[1].equals(LSN) || change[1].equals(INDEX);
      if (!taken.contains(change[0]) && (layout.hasPosition() || !position)) {
        select.add(change[1] + " AS " + change[0]);
      }
    }
    return "CREATE OR REPLACE VIEW "
        + viewName(table).sql()
        + " AS SELECT "
        + String.join(", ", select)
        + " FROM ("
        + changes(table, shape)
        + ")";
  }

  /**
   * {@code <TABLE>_CURRENT}, as a view or a dynamic table: the latest state of each key.
   *
   * @throws IllegalStateException when the records cannot give a current state
   */
  public static String current(Identifier table, ModelShape shape, ModelSettings settings) {
    Layout layout = shape.layout();
    if (!layout.supportsCurrentState()) {
      throw new IllegalStateException("the records carry no source position or delete marker");
    }
    List<String> select = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    int toastable = 0;
    for (ModelColumn c : shape.columns()) {
      String read = layout.field(c.field()).read(c.type());
      if (c.type().toastable()) {
        String group = "\"_PGSNOW_SET_" + ++toastable + "\"";
        groups.add(
            "COUNT(IFF(CONTAINS(',' || COALESCE("
                + UNCHANGED
                + ", '') || ',', "
                + literal("," + c.field() + ",")
                + "), NULL, 1)) OVER (PARTITION BY "
                + KEY
                + " ORDER BY "
                + POSITION
                + " "
                + ALL_BEFORE
                + ") AS "
                + group);
        // The value from the key's last change that carried it (an unchanged TOAST value was not
        // sent): the first of the changes since then.
        read =
            "FIRST_VALUE("
                + read
                + ") OVER (PARTITION BY "
                + KEY
                + ", "
                + group
                + " ORDER BY "
                + POSITION
                + ")";
      }
      select.add(read + " AS " + c.name().sql());
    }
    groups.add(
        "COUNT(IFF("
            + OP
            + " = 't', 1, NULL)) OVER (ORDER BY "
            + LSN
            + " DESC, "
            + INDEX
            + " DESC "
            + ALL_BEFORE
            + ") AS "
            + LATER_TRUNCATES);
    String query =
        "SELECT "
            + String.join(", ", select)
            + " FROM (SELECT *, "
            + String.join(", ", groups)
            + " FROM ("
            + changes(table, shape)
            + ") WHERE "
            + LSN
            + " IS NOT NULL) WHERE "
            + LATER_TRUNCATES
            + " = 0 AND "
            + OP
            + " <> 't' QUALIFY ROW_NUMBER() OVER (PARTITION BY "
            + KEY
            + " ORDER BY "
            + LSN
            + " DESC, "
            + INDEX
            + " DESC) = 1 AND "
            + OP
            + " <> 'd'";
    Identifier name = currentName(table);
    return switch (settings.currentState()) {
      case VIEW -> "CREATE OR REPLACE VIEW " + name.sql() + " AS " + query;
      case DYNAMIC_TABLE ->
          "CREATE OR REPLACE DYNAMIC TABLE "
              + name.sql()
              + " TARGET_LAG = "
              + settings.targetLagSql()
              + " WAREHOUSE = "
              + settings.warehouse().orElseThrow().sql()
              + " AS "
              + query;
      case NONE -> throw new IllegalStateException("no current state model is configured");
    };
  }

  /** Whether the records show each change's position and its deletes. */
  public static boolean supportsCurrentState(Layout layout) {
    return layout.supportsCurrentState();
  }

  /** The inner query: the table's changes with their operation, position, key and row. */
  private static String changes(Identifier table, ModelShape shape) {
    Layout layout = shape.layout();
    List<String> select = new ArrayList<>();
    select.add("RECORD_METADATA");
    select.add(layout.op() + " AS " + OP);
    if (layout.hasPosition()) {
      select.add(layout.commitLsn() + " AS " + LSN);
      select.add(layout.eventIndex() + " AS " + INDEX);
    }
    select.add("TO_JSON(RECORD_METADATA:\"key\") AS " + KEY);
    select.add(
        "RECORD_METADATA:\"headers\"."
            + FieldRef.pathKey(UNCHANGED_TOAST_HEADER)
            + "::VARCHAR AS "
            + UNCHANGED);
    if (layout.envelope()) {
      select.add(layout.envelopeRow() + " AS " + Layout.ROW);
    } else if (layout.schematized()) {
      for (ModelColumn c : shape.columns()) {
        select.add(TableColumns.columnName(c.field()).sql());
      }
    } else {
      select.add(Layout.CONTENT);
    }
    return "SELECT " + String.join(", ", select) + " FROM " + table.sql();
  }

  /** A string literal; Snowflake reads backslashes in literals as escapes. */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
