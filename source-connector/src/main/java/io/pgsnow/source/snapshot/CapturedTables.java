package io.pgsnow.source.snapshot;

import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The captured tables as kept in the offsets, so a restart can tell the tables captured since the
 * last run. Each table is written as SQL writes it quoted ({@code "schema"."table"}, quotes
 * doubled), joined by commas: a name holding a comma, a dot or a quote reads back as it was.
 * Offsets written before this encoding hold plain {@code schema.table} names joined by commas, and
 * are still read.
 */
final class CapturedTables {
  private final Set<TableName> quoted;
  private final Set<String> plain;

  private CapturedTables(Set<TableName> quoted, Set<String> plain) {
    this.quoted = quoted;
    this.plain = plain;
  }

  static String encode(List<TableName> tables) {
    StringJoiner list = new StringJoiner(",");
    for (TableName t : tables) {
      list.add(t.quoted());
    }
    return list.toString();
  }

  static CapturedTables decode(String value) {
    Set<TableName> quoted = new HashSet<>();
    Set<String> plain = new HashSet<>();
    if (value.startsWith("\"")) {
      int[] at = {0};
      while (at[0] < value.length()) {
        String schema = identifier(value, at);
        expect(value, at, '.');
        String table = identifier(value, at);
        quoted.add(new TableName(schema, table));
        if (at[0] < value.length()) {
          expect(value, at, ',');
        }
      }
    } else if (!value.isEmpty()) {
      plain.addAll(List.of(value.split(",")));
    }
    return new CapturedTables(quoted, plain);
  }

  boolean contains(TableName t) {
    return quoted.contains(t) || plain.contains(t.schema() + "." + t.table());
  }

  private static String identifier(String value, int[] at) {
    expect(value, at, '"');
    StringBuilder name = new StringBuilder();
    int i = at[0];
    while (true) {
      if (i >= value.length()) {
        throw new IllegalArgumentException("Unterminated table name in offset value " + value);
      }
      char c = value.charAt(i++);
      if (c == '"') {
        if (i < value.length() && value.charAt(i) == '"') {
          name.append('"');
          i++;
        } else {
          break;
        }
      } else {
        name.append(c);
      }
    }
    at[0] = i;
    return name.toString();
  }

  private static void expect(String value, int[] at, char c) {
    if (at[0] >= value.length() || value.charAt(at[0]) != c) {
      throw new IllegalArgumentException(
          "Expected '" + c + "' at " + at[0] + " of offset value " + value);
    }
    at[0]++;
  }
}
