package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits Snowflake SQL into tokens, keeping every character so statements can be re-emitted. */
public final class SqlLexer {

  private static final String[] TWO_CHAR_SYMBOLS = {
    "::", "<=", ">=", "<>", "!=", "||", "=>", "->",
  };

  private final String sql;
  private int pos;

  private SqlLexer(String sql) {
    this.sql = sql;
  }

  public static List<Token> tokenize(String sql) {
    return new SqlLexer(sql).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (pos < sql.length()) {
      tokens.add(next());
    }
    return tokens;
  }

  private Token next() {
    char c = sql.charAt(pos);
    if (Character.isWhitespace(c)) {
      return take(Kind.SPACE, scanWhile(pos, Character::isWhitespace));
    }
    if (c == '-' && peek(1) == '-') {
      int end = sql.indexOf('\n', pos);
      return take(Kind.COMMENT, end < 0 ? sql.length() : end);
    }
    if (c == '/' && peek(1) == '*') {
      int end = sql.indexOf("*/", pos + 2);
      return take(Kind.COMMENT, end < 0 ? sql.length() : end + 2);
    }
    return switch (c) {
      case '\'' -> take(Kind.STRING, scanString(pos));
      case '"' -> take(Kind.QUOTED_IDENT, scanQuoted(pos));
      case '@' -> take(Kind.STAGE, scanStage(pos + 1));
      case '?' -> take(Kind.PARAM, pos + 1);
      default -> valueOrSymbol(c);
    };
  }

  private Token valueOrSymbol(char c) {
    if (c == '$' && Character.isDigit(peek(1))) {
      return take(Kind.DOLLAR, scanWhile(pos + 1, Character::isDigit));
    }
    if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
      return take(Kind.NUMBER, scanNumber(pos));
    }
    if (Character.isLetter(c) || c == '_') {
      return take(
          Kind.WORD, scanWhile(pos, ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '$'));
    }
    for (String symbol : TWO_CHAR_SYMBOLS) {
      if (sql.startsWith(symbol, pos)) {
        return take(Kind.SYMBOL, pos + 2);
      }
    }
    return take(Kind.SYMBOL, pos + 1);
  }

  private char peek(int offset) {
    int i = pos + offset;
    return i < sql.length() ? sql.charAt(i) : '\0';
  }

  private Token take(Kind kind, int end) {
    Token token = new Token(kind, sql.substring(pos, end));
    pos = end;
    return token;
  }

  private int scanWhile(int from, java.util.function.IntPredicate accept) {
    int i = from;
    while (i < sql.length() && accept.test(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  private int scanString(int from) {
    int i = from + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private int scanQuoted(int from) {
    int i = from + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == '"') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '"') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  /** A stage reference runs until white space or a character that cannot be part of a path. */
  private int scanStage(int from) {
    int i = from;
    boolean quoted = false;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (Character.isWhitespace(c) || c == ')' || c == ';' || c == ',')) {
        break;
      }
      i++;
    }
    return i;
  }

  private int scanNumber(int from) {
    int i = scanWhile(from, ch -> Character.isDigit(ch) || ch == '.');
    if (i < sql.length() && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < sql.length() && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
        i = scanWhile(j, Character::isDigit);
      }
    }
    return i;
  }
}
