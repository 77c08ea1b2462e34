package io.pgsnow.sink.ddl;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.sink.ddl.DdlBuilder.Column;
import io.pgsnow.sink.naming.Identifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * The columns of a schematized table: which ones a record needs, and which of those the table still
 * lacks. Names compare case-insensitively, as the pipe's {@code MATCH_BY_COLUMN_NAME =
 * CASE_INSENSITIVE} matches file keys to columns. Thread-safe.
 */
public final class TableColumns {

  private final Set<String> known = new HashSet<>();

  /**
   * The column a top-level field becomes: upper case when a plain name, quoted otherwise. A field
   * that no Snowflake column can be named after (empty, or longer than 255 characters) is bad data
   * of its record, so the worker's error handling routes the record instead of the task failing.
   */
  public static Identifier columnName(String field) {
    if (field.isEmpty() || field.length() > 255) {
      String shown = field.length() > 40 ? field.substring(0, 40) + "…" : field;
      throw new DataException(
          "Field \""
              + shown
              + "\" cannot become a column of a schematized table: a Snowflake column name has 1"
              + " to 255 characters ("
              + field.length()
              + " here); rename the field with a transform or turn schematization off");
    }
    return Identifier.isUnquoted(field) ? Identifier.of(field) : new Identifier(field, true);
  }

  /**
   * One column per top-level field of a record value: typed by the value's Connect schema when it
   * is a struct (or a map with a value schema), otherwise by the JSON {@code content}. A value that
   * is not an object needs no column.
   */
  public static List<Column> needed(Schema schema, JsonNode content) {
    Map<String, Column> columns = new LinkedHashMap<>();
    if (schema != null && schema.type() == Schema.Type.STRUCT) {
      for (Field f : schema.fields()) {
        put(columns, new Column(columnName(f.name()), ColumnTypes.of(f.schema())));
      }
    } else if (content != null && content.isObject()) {
      Schema values =
          schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
      Map<String, String> types = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : content.properties()) {
        types.put(
            f.getKey(), values != null ? ColumnTypes.of(values) : ColumnTypes.of(f.getValue()));
      }
      return needed(types);
    }
    return List.copyOf(columns.values());
  }

  /** One column per top-level field of a schemaless object, of the given types, in order. */
  public static List<Column> needed(Map<String, String> typesByField) {
    Map<String, Column> columns = new LinkedHashMap<>();
    typesByField.forEach((field, type) -> put(columns, new Column(columnName(field), type)));
    return List.copyOf(columns.values());
  }

  private static void put(Map<String, Column> columns, Column column) {
    columns.putIfAbsent(key(column.name().resolved()), column);
  }

  /** Whether a field name would collide with the metadata column. */
  public static boolean isReserved(String field) {
    return key(field).equals(DdlBuilder.METADATA_COLUMN);
  }

  private static String key(String resolvedName) {
    return resolvedName.toUpperCase(Locale.ROOT);
  }

  /** Takes note of columns the table has (by the names Snowflake stores). */
  public synchronized void known(Collection<String> resolvedNames) {
    for (String name : resolvedNames) {
      known.add(key(name));
    }
  }

  public synchronized void added(Collection<Column> columns) {
    for (Column c : columns) {
      known.add(key(c.name().resolved()));
    }
  }

  /** The columns of {@code needed} the table does not have yet, in order. */
  public synchronized List<Column> missing(List<Column> needed) {
    List<Column> missing = new ArrayList<>();
    for (Column c : needed) {
      if (!known.contains(key(c.name().resolved()))) {
        missing.add(c);
      }
    }
    return missing;
  }
}
