package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Snowflake's result column labels, read from the query as the user wrote it: an expression without
 * an alias is labelled with its own text upper-cased ({@code iff(v::int = v, 'a', 'b')} → {@code
 * IFF(V::INT = V, 'A', 'B')}), where DuckDB would label it with the translated SQL (macro names
 * included). Aliases and plain column references keep the label DuckDB gives, which is already
 * Snowflake's.
 */
public final class SelectLabels {

  private static final Set<String> LIST_END =
      Set.of(
          "FROM",
          "UNION",
          "EXCEPT",
          "MINUS",
          "INTERSECT",
          "WHERE",
          "GROUP",
          "ORDER",
          "LIMIT",
          "QUALIFY",
          "HAVING",
          "INTO");

  /** Words after which a final word is an operand, not an alias. */
  private static final Set<String> OPERATOR_WORDS =
      Set.of(
          "AND",
          "OR",
          "NOT",
          "IS",
          "IN",
          "LIKE",
          "ILIKE",
          "RLIKE",
          "BETWEEN",
          "THEN",
          "ELSE",
          "WHEN",
          "CASE",
          "DISTINCT",
          "ON",
          "BY",
          "OVER",
          "SELECT",
          "INTERVAL",
          "DATE",
          "TIMESTAMP");

  /** Final words that end an expression rather than name it. */
  private static final Set<String> EXPRESSION_END_WORDS = Set.of("NULL", "TRUE", "FALSE", "END");

  private SelectLabels() {}

  /**
   * One label per select-list item (null: keep DuckDB's), or null when the list holds a {@code *}
   * (its width is known only to the engine) or the statement is not a plain query.
   */
  public static List<String> of(List<Token> tokens) {
    int start = selectKeyword(tokens);
    if (start < 0) {
      return null;
    }
    List<List<Token>> items = new ArrayList<>();
    List<Token> item = new ArrayList<>();
    int depth = 0;
    for (int i = afterQualifiers(tokens, start + 1); i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(") || t.isSymbol("[")) {
        depth++;
      } else if (t.isSymbol(")") || t.isSymbol("]")) {
        depth--;
      } else if (depth == 0
          && (t.isSymbol(";") || (t.kind() == Kind.WORD && LIST_END.contains(t.upper())))) {
        break;
      } else if (depth == 0 && t.isSymbol(",")) {
        items.add(item);
        item = new ArrayList<>();
        continue;
      }
      if (t.kind() != Kind.COMMENT) {
        item.add(t);
      }
    }
    items.add(item);
    List<String> labels = new ArrayList<>();
    for (List<Token> each : items) {
      List<Token> significant = each.stream().filter(t -> !t.isTrivia()).toList();
      if (significant.isEmpty() || significant.get(significant.size() - 1).isSymbol("*")) {
        return null;
      }
      labels.add(label(each, significant));
    }
    return labels;
  }

  private static String label(List<Token> item, List<Token> significant) {
    if (hasAlias(significant) || isColumnReference(significant)) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (Token t : item) {
      text.append(t.text());
    }
    return text.toString().trim().toUpperCase(Locale.ROOT);
  }

  private static boolean isColumnReference(List<Token> s) {
    for (int i = 0; i < s.size(); i++) {
      Token t = s.get(i);
      boolean name = t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT;
      if (i % 2 == 0 ? !name : !t.isSymbol(".")) {
        return false;
      }
    }
    return s.size() % 2 == 1;
  }

  private static boolean hasAlias(List<Token> s) {
    if (s.size() < 2) {
      return false;
    }
    Token last = s.get(s.size() - 1);
    Token before = s.get(s.size() - 2);
    boolean name =
        last.kind() == Kind.QUOTED_IDENT
            || (last.kind() == Kind.WORD && !EXPRESSION_END_WORDS.contains(last.upper()));
    if (!name) {
      return false;
    }
    if (before.isWord("AS")) {
      return true;
    }
    return switch (before.kind()) {
      case QUOTED_IDENT, STRING, NUMBER -> true;
      case WORD -> !OPERATOR_WORDS.contains(before.upper());
      case SYMBOL -> before.isSymbol(")") || before.isSymbol("]");
      default -> false;
    };
  }

  /** The index of the query's own SELECT (after any WITH clause), or -1. */
  private static int selectKeyword(List<Token> tokens) {
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && t.isWord("SELECT")) {
        return i;
      } else if (depth == 0
          && !t.isTrivia()
          && !t.isWord("WITH")
          && i == TokenLists.nextSignificant(tokens, 0)) {
        return -1;
      }
    }
    return -1;
  }

  private static int afterQualifiers(List<Token> tokens, int from) {
    int i = from;
    while (i < tokens.size()) {
      Token t = tokens.get(i);
      if (t.isTrivia() || t.isWord("DISTINCT") || t.isWord("ALL")) {
        i++;
      } else if (t.isWord("TOP")) {
        i = TokenLists.nextSignificant(tokens, i + 1) + 1;
      } else {
        return i;
      }
    }
    return i;
  }
}
