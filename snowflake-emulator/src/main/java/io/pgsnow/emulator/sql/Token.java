package io.pgsnow.emulator.sql;

import java.util.Locale;

/** One lexical token of a Snowflake SQL statement; {@code text} is the exact source text. */
public record Token(Kind kind, String text) {

  /** Token classes the translator distinguishes. */
  public enum Kind {
    WORD,
    QUOTED_IDENT,
    STRING,
    NUMBER,
    PARAM,
    STAGE,
    DOLLAR,
    SYMBOL,
    SPACE,
    COMMENT
  }

  public boolean isWord(String word) {
    return kind == Kind.WORD && text.equalsIgnoreCase(word);
  }

  public boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }

  public boolean isTrivia() {
    return kind == Kind.SPACE || kind == Kind.COMMENT;
  }

  public String upper() {
    return text.toUpperCase(Locale.ROOT);
  }

  /** The value of a string literal, with Snowflake's backslash and doubled-quote escapes undone. */
  public String stringValue() {
    if (kind != Kind.STRING) {
      return text;
    }
    String body = text.substring(1, text.length() - 1);
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char next = body.charAt(++i);
        out.append(
            switch (next) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              case '0' -> '\0';
              default -> next;
            });
      } else if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
        out.append('\'');
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A SQL string literal for DuckDB, which knows no backslash escapes. */
  public static String duckLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
