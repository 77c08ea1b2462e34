package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Snowflake's MERGE as DuckDB runs it: {@code SET target.col = ...} loses its qualifier (DuckDB
 * takes only bare column names there, Snowflake both), and the result names one count per kind of
 * clause the statement has, in Snowflake's order: rows inserted, updated, deleted.
 */
public final class MergeStatement {

  /** Result column names, in Snowflake's order. */
  public static final String INSERTED = "number of rows inserted";

  public static final String UPDATED = "number of rows updated";
  public static final String DELETED = "number of rows deleted";

  private MergeStatement() {}

  /** The tokens with the qualifiers of SET targets removed. */
  static List<Token> withBareSetTargets(List<Token> tokens) {
    List<Token> out = new ArrayList<>(tokens);
    boolean inSet = false;
    int depth = 0;
    boolean expectTarget = false;
    for (int i = 0; i < out.size(); i++) {
      Token t = out.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && t.isWord("SET")) {
        inSet = true;
        expectTarget = true;
        continue;
      } else if (depth == 0 && t.isWord("WHEN")) {
        inSet = false;
      } else if (inSet && depth == 0 && t.isSymbol(",")) {
        expectTarget = true;
        continue;
      }
      if (expectTarget && !t.isTrivia()) {
        expectTarget = false;
        int dot = TokenLists.nextSignificant(out, i + 1);
        if (isName(t) && dot < out.size() && out.get(dot).isSymbol(".")) {
          out.subList(i, dot + 1).clear();
          i--;
        }
      }
    }
    return out;
  }

  /** The result columns for the clauses of this MERGE. */
  public static List<String> resultColumns(String sql) {
    List<Token> s = TokenLists.significant(SqlLexer.tokenize(sql));
    boolean insert = false;
    boolean update = false;
    boolean delete = false;
    for (int i = 0; i + 1 < s.size(); i++) {
      if (s.get(i).isWord("THEN")) {
        Token action = s.get(i + 1);
        insert |= action.isWord("INSERT");
        update |= action.isWord("UPDATE");
        delete |= action.isWord("DELETE");
      }
    }
    List<String> columns = new ArrayList<>();
    if (insert) {
      columns.add(INSERTED);
    }
    if (update) {
      columns.add(UPDATED);
    }
    if (delete) {
      columns.add(DELETED);
    }
    return columns;
  }

  private static boolean isName(Token t) {
    return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT;
  }
}
