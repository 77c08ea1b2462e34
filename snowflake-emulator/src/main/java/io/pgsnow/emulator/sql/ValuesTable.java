package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.List;
import java.util.Set;

/**
 * {@code FROM VALUES (..), (..)}: Snowflake names the columns COLUMN1..n, DuckDB col0..; the list
 * becomes a derived table with Snowflake's names (or the alias's own column list).
 */
final class ValuesTable {

  /**
   * The derived table, the alias with Snowflake's column names to write after it (null when the
   * query gives its own), and the index of the first token after what was consumed.
   */
  record Rewritten(String table, String alias, int next) {}

  private static final Set<String> CLAUSE_WORDS =
      Set.of(
          "WHERE",
          "GROUP",
          "ORDER",
          "LIMIT",
          "UNION",
          "JOIN",
          "LEFT",
          "RIGHT",
          "INNER",
          "FULL",
          "CROSS",
          "QUALIFY",
          "HAVING",
          "WINDOW",
          "EXCEPT",
          "INTERSECT",
          "ON",
          "NATURAL");

  private ValuesTable() {}

  /**
   * What to write before a {@code VALUES} list that follows {@code out} as a FROM item: nothing
   * after FROM, and a query of the list in parentheses (FROM (VALUES ...) has the same COLUMN1..n);
   * null when the list is no FROM item.
   */
  static String prefix(List<String> out) {
    if (OutputTokens.lastSignificant(out).equals("FROM")) {
      return "";
    }
    boolean parenthesized =
        OutputTokens.endsWithWords(out, "(", "FROM")
            || OutputTokens.endsWithWords(out, "(", "JOIN")
            || OutputTokens.endsWithWords(out, "(", ",");
    return parenthesized ? "SELECT * FROM " : null;
  }

  /** Rewrites the rows after the {@code VALUES} word at {@code valuesAt} and their alias. */
  static Rewritten rewrite(List<Token> tokens, int valuesAt, SessionValues session) {
    int start = valuesAt + 1;
    int j = TokenLists.nextSignificant(tokens, start);
    int columns = 1;
    int depth = 0;
    boolean firstRow = true;
    while (j < tokens.size()) {
      Token t = tokens.get(j);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
        if (depth == 0) {
          firstRow = false;
          int k = TokenLists.nextSignificant(tokens, j + 1);
          if (k >= tokens.size() || !tokens.get(k).isSymbol(",")) {
            j++;
            break;
          }
        }
      } else if (t.isSymbol(",") && depth == 1 && firstRow) {
        columns++;
      }
      j++;
    }
    String rows = ExpressionTranslator.translate(tokens.subList(start, j), session);
    return alias(tokens, j, columns, "(VALUES " + rows + ")");
  }

  private static Rewritten alias(List<Token> tokens, int after, int columns, String table) {
    int k = TokenLists.nextSignificant(tokens, after);
    boolean explicitAs = k < tokens.size() && tokens.get(k).isWord("AS");
    int aliasAt = explicitAs ? TokenLists.nextSignificant(tokens, k + 1) : k;
    boolean hasAlias =
        aliasAt < tokens.size()
            && (tokens.get(aliasAt).kind() == Kind.QUOTED_IDENT
                || (tokens.get(aliasAt).kind() == Kind.WORD
                    && !CLAUSE_WORDS.contains(tokens.get(aliasAt).upper())));
    String alias = "\"_VALUES\"";
    int next = after;
    if (hasAlias) {
      int afterAlias = TokenLists.nextSignificant(tokens, aliasAt + 1);
      if (afterAlias < tokens.size() && tokens.get(afterAlias).isSymbol("(")) {
        return new Rewritten(table, null, after);
      }
      Token a = tokens.get(aliasAt);
      alias = a.kind() == Kind.QUOTED_IDENT ? a.text() : a.upper();
      next = aliasAt + 1;
    }
    StringBuilder names = new StringBuilder(" AS ").append(alias).append('(');
    for (int c = 1; c <= columns; c++) {
      names.append(c == 1 ? "" : ", ").append("COLUMN").append(c);
    }
    return new Rewritten(table, names.append(')').toString(), next);
  }
}
