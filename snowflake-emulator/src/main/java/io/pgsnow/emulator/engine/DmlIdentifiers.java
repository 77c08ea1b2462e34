package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.SqlLexer;
import io.pgsnow.emulator.sql.Token;
import io.pgsnow.emulator.sql.TokenLists;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Snowflake's exact identifier rule (see {@link ExactIdentifiers}) for INSERT, UPDATE and DELETE:
 * the target table and the columns an INSERT lists or an UPDATE sets must be spelled as in the
 * catalog, and the statement's query parts (INSERT's SELECT, UPDATE's expressions and WHERE,
 * DELETE's WHERE) are checked as the query {@code SELECT … FROM target … WHERE …} they amount to.
 * MERGE is not checked.
 */
final class DmlIdentifiers {

  private DmlIdentifiers() {}

  /** Checks DuckDB DML text; shapes it does not know pass unchecked. */
  static void check(Connection conn, String duckSql) throws SQLException {
    List<Token> all = lex(duckSql);
    List<Token> t = TokenLists.significant(all);
    if (t.size() < 3) {
      return;
    }
    if (t.get(0).isWord("INSERT") && t.get(1).isWord("INTO")) {
      insert(conn, t, all);
    } else if (t.get(0).isWord("DELETE") && t.get(1).isWord("FROM")) {
      delete(conn, t);
    } else if (t.get(0).isWord("UPDATE")) {
      update(conn, t);
    }
  }

  /** The tokens of DuckDB text; none when it cannot be lexed (DuckDB reports that). */
  static List<Token> lex(String duckSql) {
    try {
      return SqlLexer.tokenize(duckSql);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static void insert(Connection conn, List<Token> t, List<Token> all) throws SQLException {
    int i = 2;
    int end = nameEnd(t, i);
    ExactIdentifiers.Resolved table = target(conn, t.subList(i, end));
    i = end;
    List<String> columns = new ArrayList<>();
    if (i < t.size() && t.get(i).isSymbol("(") && !startsQuery(t, i + 1)) {
      for (i = i + 1; i < t.size() && !t.get(i).isSymbol(")"); i++) {
        if (!t.get(i).isSymbol(",")) {
          columns.add(exact(t.get(i)));
        }
      }
      i++;
    }
    requireColumns(conn, table, columns);
    if (i < t.size() && (t.get(i).isWord("SELECT") || t.get(i).isWord("WITH"))) {
      ExactIdentifiers.check(conn, TokenLists.textFrom(all, t.get(i)));
    }
  }

  private static void delete(Connection conn, List<Token> t) throws SQLException {
    int end = nameEnd(t, 2);
    target(conn, t.subList(2, end));
    StringBuilder select = new StringBuilder("SELECT * FROM");
    for (int i = 2; i < t.size(); i++) {
      select.append(' ').append(t.get(i).isWord("USING") ? "," : t.get(i).text());
    }
    ExactIdentifiers.check(conn, select.toString());
  }

  /** {@code UPDATE t [alias] SET c = e, … [FROM …] [WHERE …]}. */
  private static void update(Connection conn, List<Token> t) throws SQLException {
    int end = nameEnd(t, 1);
    ExactIdentifiers.Resolved table = target(conn, t.subList(1, end));
    int set = indexOfTopLevel(t, end, "SET");
    if (set < 0) {
      return;
    }
    int rest = indexOfTopLevel(t, set + 1, "FROM");
    int where = indexOfTopLevel(t, set + 1, "WHERE");
    int assignmentsEnd = rest >= 0 ? rest : where >= 0 ? where : t.size();
    List<String> columns = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    for (List<Token> assignment : TokenLists.splitTopLevel(t.subList(set + 1, assignmentsEnd))) {
      int eq = indexOfSymbol(assignment, "=");
      if (eq <= 0) {
        return;
      }
      columns.add(exact(assignment.get(eq - 1)));
      expressions.add(join(assignment.subList(eq + 1, assignment.size())));
    }
    requireColumns(conn, table, columns);
    StringBuilder select =
        new StringBuilder("SELECT ")
            .append(String.join(", ", expressions))
            .append(" FROM ")
            .append(join(t.subList(1, set)));
    int tail = rest >= 0 ? rest + 1 : where;
    if (tail >= 0) {
      select.append(rest >= 0 ? ", " : " ").append(join(t.subList(tail, t.size())));
    }
    ExactIdentifiers.check(conn, select.toString());
  }

  static ExactIdentifiers.Resolved target(Connection conn, List<Token> name) throws SQLException {
    List<String> parts = new ArrayList<>();
    for (Token token : name) {
      if (!token.isSymbol(".")) {
        parts.add(exact(token));
      }
    }
    String table = parts.get(parts.size() - 1);
    String schema = parts.size() > 1 ? parts.get(parts.size() - 2) : "";
    String database = parts.size() > 2 ? parts.get(parts.size() - 3) : "";
    return ExactIdentifiers.resolve(conn, new ExactIdentifiers.TableRef(database, schema, table));
  }

  private static void requireColumns(
      Connection conn, ExactIdentifiers.Resolved table, List<String> columns) throws SQLException {
    if (table == null || columns.isEmpty()) {
      return;
    }
    List<String> known = ExactIdentifiers.columnsOf(conn, table);
    for (String column : columns) {
      if (!known.contains(column) && known.stream().anyMatch(k -> k.equalsIgnoreCase(column))) {
        throw ExactIdentifiers.invalidIdentifier(column);
      }
    }
  }

  /** A name as DuckDB SQL spells it: quoted exactly, or (translated) unquoted upper case. */
  private static String exact(Token token) {
    if (token.kind() == Token.Kind.QUOTED_IDENT) {
      String text = token.text();
      return text.substring(1, text.length() - 1).replace("\"\"", "\"");
    }
    return token.text();
  }

  static int nameEnd(List<Token> t, int from) {
    int i = from + 1;
    while (i + 1 < t.size() && t.get(i).isSymbol(".")) {
      i += 2;
    }
    return Math.min(i, t.size());
  }

  private static boolean startsQuery(List<Token> t, int i) {
    return i < t.size()
        && (t.get(i).isWord("SELECT") || t.get(i).isWord("WITH") || t.get(i).isWord("VALUES"));
  }

  private static int indexOfTopLevel(List<Token> t, int from, String word) {
    int depth = 0;
    for (int i = from; i < t.size(); i++) {
      depth += t.get(i).isSymbol("(") ? 1 : t.get(i).isSymbol(")") ? -1 : 0;
      if (depth == 0 && t.get(i).isWord(word)) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfSymbol(List<Token> t, String symbol) {
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).isSymbol(symbol)) {
        return i;
      }
    }
    return -1;
  }

  private static String join(List<Token> tokens) {
    StringBuilder out = new StringBuilder();
    for (Token token : tokens) {
      out.append(out.length() == 0 ? "" : " ").append(token.text());
    }
    return out.toString();
  }
}
