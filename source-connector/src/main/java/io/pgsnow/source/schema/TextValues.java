package io.pgsnow.source.schema;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsers of PostgreSQL text forms that need more than a JDK call: bytea, money and hstore. */
final class TextValues {
  private TextValues() {}

  static byte[] bytea(String text) {
    if (text.startsWith("\\x")) {
      return HexFormat.of().parseHex(text, 2, text.length());
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(bytea(text));
  }

  static String base64UrlSafe(String text) {
    return Base64.getUrlEncoder().encodeToString(bytea(text));
  }

  static String hex(String text) {
    return HexFormat.of().formatHex(bytea(text));
  }

  /**
   * A money value as a decimal, whatever lc_monetary printed around it (a currency symbol, group
   * separators): the connector's sessions use lc_monetary=C, where the decimal point is '.', and a
   * negative amount has a '-' sign or parentheses.
   */
  static BigDecimal money(String text, int scale) {
    StringBuilder digits = new StringBuilder(text.length());
    boolean negative = text.indexOf('-') >= 0 || text.indexOf('(') >= 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= '0' && c <= '9') || c == '.') {
        digits.append(c);
      }
    }
    BigDecimal value = new BigDecimal(digits.toString());
    return (negative ? value.negate() : value).setScale(scale, java.math.RoundingMode.HALF_UP);
  }

  /** An hstore's text ({@code "a"=>"1", "b"=>NULL}) as a map in the order PostgreSQL wrote it. */
  static Map<String, String> hstore(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    int[] pos = {0};
    while (true) {
      skipSpaces(text, pos);
      if (pos[0] >= text.length()) {
        return map;
      }
      String key = hstoreItem(text, pos);
      skipSpaces(text, pos);
      pos[0] += 2; // =>
      skipSpaces(text, pos);
      String value = hstoreItem(text, pos);
      map.put(key, value);
      skipSpaces(text, pos);
      if (pos[0] < text.length() && text.charAt(pos[0]) == ',') {
        pos[0]++;
      }
    }
  }

  private static String hstoreItem(String text, int[] pos) {
    if (text.charAt(pos[0]) != '"') {
      int start = pos[0];
      while (pos[0] < text.length() && ",= ".indexOf(text.charAt(pos[0])) < 0) {
        pos[0]++;
      }
      String word = text.substring(start, pos[0]);
      return "NULL".equalsIgnoreCase(word) ? null : word;
    }
    StringBuilder sb = new StringBuilder();
    pos[0]++;
    while (true) {
      char c = text.charAt(pos[0]++);
      if (c == '\\') {
        sb.append(text.charAt(pos[0]++));
      } else if (c == '"') {
        return sb.toString();
      } else {
        sb.append(c);
      }
    }
  }

  private static void skipSpaces(String text, int[] pos) {
    while (pos[0] < text.length() && Character.isWhitespace(text.charAt(pos[0]))) {
      pos[0]++;
    }
  }

  /** A map as a JSON object of strings (or nulls), in the map's order. */
  static String json(Map<String, String> map) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      jsonString(sb, e.getKey());
      sb.append(':');
      if (e.getValue() == null) {
        sb.append("null");
      } else {
        jsonString(sb, e.getValue());
      }
    }
    return sb.append('}').toString();
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
