package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.Statement;
import io.pgsnow.emulator.sql.Token;
import io.pgsnow.emulator.sql.TokenLists;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables and views a query or DML statement (DuckDB SQL) names, for access control: a query's
 * from its parse tree; a DML statement's target, a MERGE's or DELETE's {@code USING} table and an
 * INSERT's query. Other subqueries of DML are not read. INFORMATION_SCHEMA is left out (every role
 * may read it).
 */
final class SqlTables {

  private SqlTables() {}

  static List<ObjectName> of(Connection conn, Statement.Sql sql) throws SQLException {
    List<ExactIdentifiers.Resolved> found = new ArrayList<>();
    if (sql.kind() == Statement.SqlKind.QUERY) {
      found.addAll(ExactIdentifiers.tablesRead(conn, sql.duckSql()));
    } else {
      dml(conn, sql.duckSql(), found);
    }
    List<ObjectName> names = new ArrayList<>();
    for (ExactIdentifiers.Resolved r : found) {
      if (!r.schema().equals("INFORMATION_SCHEMA")) {
        names.add(new ObjectName(r.database(), r.schema(), r.table()));
      }
    }
    return names;
  }

  private static void dml(Connection conn, String duckSql, List<ExactIdentifiers.Resolved> found)
      throws SQLException {
    List<Token> all = DmlIdentifiers.lex(duckSql);
    List<Token> t = TokenLists.significant(all);
    int from = t.size() > 1 && t.get(0).isWord("UPDATE") ? 1 : 2;
    if (t.size() <= from) {
      return;
    }
    add(conn, t, from, found);
    for (int i = from; i < t.size(); i++) {
      if (t.get(i).isWord("USING") && i + 1 < t.size() && !t.get(i + 1).isSymbol("(")) {
        add(conn, t, i + 1, found);
      } else if (t.get(i).isWord("SELECT") || t.get(i).isWord("WITH")) {
        found.addAll(ExactIdentifiers.tablesRead(conn, TokenLists.textFrom(all, t.get(i))));
        return;
      }
    }
  }

  private static void add(
      Connection conn, List<Token> t, int at, List<ExactIdentifiers.Resolved> found)
      throws SQLException {
    ExactIdentifiers.Resolved table =
        DmlIdentifiers.target(conn, t.subList(at, DmlIdentifiers.nameEnd(t, at)));
    if (table != null) {
      found.add(table);
    }
  }
}
