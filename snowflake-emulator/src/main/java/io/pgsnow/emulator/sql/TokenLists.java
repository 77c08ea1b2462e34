package io.pgsnow.emulator.sql;

import java.util.ArrayList;
import java.util.List;

/** Small operations on lexed SQL shared by the rewrites that look at statement structure. */
public final class TokenLists {

  private TokenLists() {}

  /** The tokens without whitespace, comments and statement-ending semicolons. */
  public static List<Token> significant(List<Token> tokens) {
    List<Token> out = new ArrayList<>();
    for (Token t : tokens) {
      if (!t.isTrivia() && !t.isSymbol(";")) {
        out.add(t);
      }
    }
    return out;
  }

  /** The index of the first token at or after {@code from} that is not whitespace or comment. */
  public static int nextSignificant(List<Token> tokens, int from) {
    int j = from;
    while (j < tokens.size() && tokens.get(j).isTrivia()) {
      j++;
    }
    return j;
  }

  /** The index of the {@code )} that closes the {@code (} at {@code open}. */
  public static int matchingClose(List<Token> tokens, int open) {
    int depth = 0;
    for (int j = open; j < tokens.size(); j++) {
      if (tokens.get(j).isSymbol("(")) {
        depth++;
      } else if (tokens.get(j).isSymbol(")") && --depth == 0) {
        return j;
      }
    }
    throw SnowflakeSqlException.syntax("unbalanced parentheses");
  }

  /** Splits at the commas outside parentheses and brackets. */
  public static List<List<Token>> splitTopLevel(List<Token> tokens) {
    List<List<Token>> parts = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    for (Token t : tokens) {
      if (t.isSymbol("(") || t.isSymbol("[")) {
        depth++;
      } else if (t.isSymbol(")") || t.isSymbol("]")) {
        depth--;
      }
      if (depth == 0 && t.isSymbol(",")) {
        parts.add(current);
        current = new ArrayList<>();
      } else {
        current.add(t);
      }
    }
    parts.add(current);
    return parts;
  }

  /** The original text from {@code first} (one of {@code all}) to the end, semicolons dropped. */
  public static String textFrom(List<Token> all, Token first) {
    StringBuilder out = new StringBuilder();
    boolean started = false;
    for (Token t : all) {
      started |= t == first;
      if (started && !t.isSymbol(";")) {
        out.append(t.text());
      }
    }
    return out.toString().trim();
  }
}
