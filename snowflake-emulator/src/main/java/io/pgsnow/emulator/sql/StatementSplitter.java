package io.pgsnow.emulator.sql;

import java.util.ArrayList;
import java.util.List;

/** Splits a multi-statement request on top-level semicolons (not those in strings or comments). */
public final class StatementSplitter {

  private StatementSplitter() {}

  public static List<String> split(String sql) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean significant = false;
    for (Token t : SqlLexer.tokenize(sql)) {
      if (t.isSymbol(";")) {
        if (significant) {
          statements.add(current.toString().trim());
        }
        current.setLength(0);
        significant = false;
      } else {
        current.append(t.text());
        significant |= !t.isTrivia();
      }
    }
    if (significant) {
      statements.add(current.toString().trim());
    }
    return statements;
  }
}
