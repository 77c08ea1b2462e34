package io.pgsnow.emulator.sql;

import java.util.List;

/**
 * Questions a rewrite asks about the SQL it has written so far: a list of token texts, in which
 * {@code " "} stands for white space.
 */
final class OutputTokens {

  private OutputTokens() {}

  /** The last text that is not white space, or "" when there is none. */
  static String lastSignificant(List<String> out) {
    for (int j = out.size() - 1; j >= 0; j--) {
      if (!out.get(j).equals(" ")) {
        return out.get(j);
      }
    }
    return "";
  }

  /** Whether the last texts that are not white space are {@code words}, last first. */
  static boolean endsWithWords(List<String> out, String... words) {
    int j = out.size() - 1;
    for (String word : words) {
      while (j >= 0 && out.get(j).equals(" ")) {
        j--;
      }
      if (j < 0 || !out.get(j).equalsIgnoreCase(word)) {
        return false;
      }
      j--;
    }
    return true;
  }

  /** Whether {@code text} starts an identifier (a name, quoted or not). */
  static boolean isIdentifierText(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char c = text.charAt(0);
    return Character.isLetter(c) || c == '_' || c == '"' || c == '$';
  }

  /**
   * Removes the {@code [db.]SCHEMA.} written last and returns the database named in it, normalized,
   * or null when there is none.
   */
  static String takeSchemaQualifier(List<String> out) {
    int j = out.size() - 1;
    while (!out.get(j).equals(".")) {
      j--;
    }
    j--;
    while (out.get(j).equals(" ")) {
      j--;
    }
    int start = j;
    String database = null;
    int k = j - 1;
    while (k >= 0 && out.get(k).equals(" ")) {
      k--;
    }
    if (k >= 1 && out.get(k).equals(".") && isIdentifierText(out.get(k - 1))) {
      database = ObjectName.normalizePart(out.get(k - 1));
      start = k - 1;
    }
    out.subList(start, out.size()).clear();
    return database;
  }

  /** Whether the output ends with a value a postfix operator (a path, a cast) can apply to. */
  static boolean endsWithPrimary(List<String> out) {
    if (out.isEmpty()) {
      return false;
    }
    String last = out.get(out.size() - 1);
    if (last.equals(")") || last.equals("]")) {
      return true;
    }
    char c = last.charAt(last.length() - 1);
    return Character.isLetterOrDigit(c) || c == '_' || c == '"' || c == '$';
  }
}
