package io.pgsnow.emulator.sql;

import java.util.regex.Pattern;

/** SQL LIKE as SHOW ... LIKE applies it: {@code %} and {@code _} wildcards, case-insensitive. */
public final class LikePattern {

  private final Pattern regex;

  private LikePattern(Pattern regex) {
    this.regex = regex;
  }

  public static LikePattern of(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '%' -> regex.append(".*");
        case '_' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new LikePattern(
        Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
  }

  public boolean matches(String value) {
    return regex.matcher(value).matches();
  }
}
