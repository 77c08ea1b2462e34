package io.pgsnow.source.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses PostgreSQL's text form of arrays, e.g. {@code {1,NULL,"a \"b\""}} or {@code
 * {{1,2},{3,4}}}, into nested lists whose leaves are element texts or null. A leading dimension
 * decoration such as {@code [0:1]=} is skipped.
 */
final class ArrayText {
  private final String s;
  private final char delimiter;
  private int pos;

  private ArrayText(String s, char delimiter) {
    this.s = s;
    this.delimiter = delimiter;
  }

  static List<Object> parse(String text, char delimiter) {
    ArrayText parser = new ArrayText(text, delimiter);
    if (text.startsWith("[")) {
      parser.pos = text.indexOf('=') + 1;
    }
    return parser.array();
  }

  private List<Object> array() {
    expect('{');
    List<Object> items = new ArrayList<>();
    if (peek() == '}') {
      pos++;
      return items;
    }
    while (true) {
      char c = peek();
      if (c == '{') {
        items.add(array());
      } else if (c == '"') {
        items.add(quoted());
      } else {
        items.add(unquoted());
      }
      char next = s.charAt(pos++);
      if (next == '}') {
        return items;
      }
      if (next != delimiter) {
        throw new IllegalArgumentException("Malformed array literal at " + pos + ": " + s);
      }
    }
  }

  private String quoted() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(pos++);
      if (c == '\\') {
        sb.append(s.charAt(pos++));
      } else if (c == '"') {
        return sb.toString();
      } else {
        sb.append(c);
      }
    }
  }

  private String unquoted() {
    int start = pos;
    while (s.charAt(pos) != delimiter && s.charAt(pos) != '}') {
      pos++;
    }
    String value = s.substring(start, pos).trim();
    return "NULL".equalsIgnoreCase(value) ? null : value;
  }

  private char peek() {
    return s.charAt(pos);
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw new IllegalArgumentException("Expected '" + c + "' at " + pos + ": " + s);
    }
    pos++;
  }
}
