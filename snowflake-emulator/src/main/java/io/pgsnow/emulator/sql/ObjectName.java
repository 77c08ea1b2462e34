package io.pgsnow.emulator.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A possibly qualified Snowflake object name with identifier rules applied: unquoted parts are
 * upper-cased, quoted parts are kept exactly.
 */
public record ObjectName(String database, String schema, String name) {

  public static ObjectName of(String name) {
    return new ObjectName(null, null, name);
  }

  /** Parses {@code a.b.c}, {@code "a"."b"} and mixes, as found in SQL text or REST paths. */
  public static ObjectName parse(String text) {
    List<String> parts = splitParts(text.trim());
    return switch (parts.size()) {
      case 1 -> new ObjectName(null, null, parts.get(0));
      case 2 -> new ObjectName(null, parts.get(0), parts.get(1));
      case 3 -> new ObjectName(parts.get(0), parts.get(1), parts.get(2));
      default ->
          throw new SnowflakeSqlException(
              SnowflakeSqlException.SYNTAX_ERROR, "42000", "Invalid object name '" + text + "'");
    };
  }

  /** Applies Snowflake's rules to one identifier part. */
  public static String normalizePart(String part) {
    if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
      return part.substring(1, part.length() - 1).replace("\"\"", "\"");
    }
    return part.toUpperCase(Locale.ROOT);
  }

  private static List<String> splitParts(String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        current.append(c);
      } else if (c == '.' && !quoted) {
        parts.add(normalizePart(current.toString().trim()));
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(normalizePart(current.toString().trim()));
    return parts;
  }

  /** Fills missing qualifiers from the session's current database and schema. */
  public ObjectName qualify(String currentDatabase, String currentSchema) {
    String db = database != null ? database : currentDatabase;
    String sc = schema != null ? schema : currentSchema;
    if (db == null || sc == null) {
      // The executor names the operation (SessionNamespace); "operation" when it cannot.
      throw SnowflakeSqlException.noCurrent(db != null, "operation");
    }
    return new ObjectName(db, sc, name);
  }

  /** The name as DuckDB SQL: every part double-quoted. */
  public String toDuckSql() {
    StringBuilder out = new StringBuilder();
    if (database != null) {
      out.append(quote(database)).append('.');
    }
    if (schema != null) {
      out.append(quote(schema)).append('.');
    }
    return out.append(quote(name)).toString();
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** The fully qualified display form, as Snowflake prints it in messages. */
  public String display() {
    StringBuilder out = new StringBuilder();
    if (database != null) {
      out.append(database).append('.');
    }
    if (schema != null) {
      out.append(schema).append('.');
    }
    return out.append(name).toString();
  }
}
