package io.pgsnow.smt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The parts of a computed string: field paths and quoted literals, written {@code first_name, ' ',
 * last_name}. A literal is single-quoted; a quote inside it is doubled ({@code 'O''Brien'}).
 */
public final class ConcatTemplate {
  /** What a null field value does to the result. */
  public enum NullHandling {
    /**
     * A null field adds nothing, and the literals just before it are dropped with it, so that a
     * separator only stands between two values; null when every field is null.
     */
    SKIP_NULLS,
    /** The result is null as soon as one field is null (SQL semantics). */
    NULL_IF_ANY_NULL,
    /** A null field counts as the empty string; literals are always written. */
    EMPTY_STRING
  }

  /** One part: a literal text or a field path. */
  record Part(String literal, FieldPath field) {
    boolean isLiteral() {
      return field == null;
    }
  }

  private final List<Part> parts;

  private ConcatTemplate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException when it is malformed or names no field
   */
  public static ConcatTemplate parse(String text) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      i = skipSpaces(text, i);
      if (i < n && text.charAt(i) == '\'') {
        StringBuilder literal = new StringBuilder();
        i = readLiteral(text, i + 1, literal);
        parts.add(new Part(literal.toString(), null));
      } else {
        int comma = text.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        parts.add(new Part(null, FieldPath.parse(text.substring(i, end))));
        i = end;
      }
      i = skipSpaces(text, i);
      if (i < n && text.charAt(i) != ',') {
        throw new IllegalArgumentException("Expected ',' at position " + i + " of: " + text);
      }
      i++;
    }
    if (parts.stream().allMatch(Part::isLiteral)) {
      throw new IllegalArgumentException("The template names no field: " + text);
    }
    return new ConcatTemplate(parts);
  }

  private static int readLiteral(String text, int start, StringBuilder out) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          out.append('\'');
          i += 2;
          continue;
        }
        return i + 1;
      }
      out.append(c);
      i++;
    }
    throw new IllegalArgumentException("Unterminated literal in: " + text);
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  List<Part> parts() {
    return parts;
  }

  /**
   * Renders the template.
   *
   * @param values the value of a field path in the record
   * @return the text, or null as the null handling decides
   */
  public String render(Function<FieldPath, Object> values, NullHandling nulls) {
    Rendering out = new Rendering(nulls);
    for (Part part : parts) {
      if (part.isLiteral()) {
        out.literal(part.literal());
      } else if (!out.value(ValueText.plain(values.apply(part.field())))) {
        return null;
      }
    }
    return out.result();
  }

  /** The text rendered so far, and the literals waiting for the next value. */
  private static final class Rendering {
    private final NullHandling nulls;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder pending = new StringBuilder();
    private boolean fieldSeen;
    private boolean written;

    Rendering(NullHandling nulls) {
      this.nulls = nulls;
    }

    void literal(String text) {
      (fieldSeen ? pending : out).append(text);
    }

    /** Adds a field value; false when the whole result is null. */
    boolean value(String text) {
      fieldSeen = true;
      if (text == null && nulls == NullHandling.NULL_IF_ANY_NULL) {
        return false;
      }
      if (text == null && nulls == NullHandling.SKIP_NULLS) {
        pending.setLength(0);
        return true;
      }
      if (written || nulls != NullHandling.SKIP_NULLS) {
        out.append(pending);
      }
      pending.setLength(0);
      out.append(text == null ? "" : text);
      written = true;
      return true;
    }

    String result() {
      if (!written && nulls == NullHandling.SKIP_NULLS) {
        return null;
      }
      return out.append(pending).toString();
    }
  }
}
