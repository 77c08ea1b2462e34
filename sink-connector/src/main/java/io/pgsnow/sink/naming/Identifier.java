package io.pgsnow.sink.naming;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Snowflake object identifier. Unquoted identifiers are case-insensitive and stored upper case;
 * anything else is kept exactly and rendered in double quotes, so no name taken from a topic or a
 * config value can change the meaning of a statement.
 */
public record Identifier(String name, boolean quoted) {

  private static final Pattern UNQUOTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,254}");

  public Identifier {
    if (name == null || name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException("A Snowflake identifier has 1 to 255 characters: " + name);
    }
    if (!quoted && !UNQUOTED.matcher(name).matches()) {
      throw new IllegalArgumentException("Not a valid unquoted Snowflake identifier: " + name);
    }
  }

  /** Whether {@code text} is a valid unquoted identifier. */
  public static boolean isUnquoted(String text) {
    return text != null && UNQUOTED.matcher(text).matches();
  }

  /**
   * Parses an identifier as written in SQL: {@code "Mixed Case"} is quoted, {@code orders} is
   * unquoted; anything else is rejected.
   */
  public static Identifier parse(String text) {
    if (text != null && text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      String inner = text.substring(1, text.length() - 1);
      if (inner.replace("\"\"", "").contains("\"")) {
        throw new IllegalArgumentException("Unescaped double quote in identifier: " + text);
      }
      return new Identifier(inner.replace("\"\"", "\""), true);
    }
    return new Identifier(text, false);
  }

  /** An unquoted identifier. */
  public static Identifier of(String unquoted) {
    return new Identifier(unquoted, false);
  }

  /** The name Snowflake stores: upper case when unquoted, exact when quoted. */
  public String resolved() {
    return quoted ? name : name.toUpperCase(Locale.ROOT);
  }

  /** The identifier as safe SQL text. */
  public String sql() {
    if (!quoted) {
      return name.toUpperCase(Locale.ROOT);
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * A fragment usable inside a longer unquoted identifier (stage and pipe names): characters
   * outside {@code [A-Za-z0-9_]} become underscores.
   */
  public String fragment() {
    return resolved().replaceAll("[^A-Za-z0-9_]", "_");
  }

  @Override
  public String toString() {
    return sql();
  }
}
