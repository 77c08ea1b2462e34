package io.pgsnow.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One file of the conformance suite: the examples of one page of Snowflake's documentation, written
 * as statements and the outputs the page documents. Format, line by line:
 *
 * <ul>
 *   <li>{@code # source: URL} (required, first line): the documentation page the cases come from;
 *       other {@code #} lines are comments;
 *   <li>a statement: one or more lines, the last ending with {@code ;};
 *   <li>after it, what it must give: {@code => a | b} one line per row (cells split by {@code " |
 *       "}, {@code NULL} for SQL NULL, {@code *} for any value, a last cell {@code ...} when the
 *       columns after it are not compared), {@code => (no rows)}, {@code @@ LABEL | LABEL} the
 *       column labels, or {@code !! CODE} the Snowflake error code it must fail with. A statement
 *       with no expectation is set-up and must succeed;
 *   <li>{@code << NAME: TEXT}: a line of a local file the page's statements can stage ({@code PUT
 *       file://{files}/NAME @stage}; {@code {files}} is the directory the suite writes them to).
 * </ul>
 */
record ConformanceCases(String file, String source, List<Case> cases, Map<String, String> files) {

  /** One statement and what the documentation says it gives. */
  record Case(
      int line, String sql, List<List<String>> rows, List<String> labels, String errorCode) {

    boolean setUp() {
      return rows == null && labels == null && errorCode == null;
    }
  }

  static ConformanceCases load(String file) {
    try (InputStream in = ConformanceCases.class.getResourceAsStream("/conformance/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no conformance file " + file);
      }
      return parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ConformanceCases parse(String file, String text) {
    String[] lines = text.split("\n", -1);
    if (!lines[0].startsWith("# source: https://docs.snowflake.com/")) {
      throw new IllegalArgumentException(file + ": the first line must name its docs page");
    }
    Reader reader = new Reader(file);
    for (int n = 1; n < lines.length; n++) {
      reader.line(n + 1, lines[n].stripTrailing());
    }
    return new ConformanceCases(
        file, lines[0].substring("# source: ".length()).trim(), reader.finish(), reader.files);
  }

  /** Reads a file line by line into cases. */
  private static final class Reader {
    private final String file;
    private final List<Case> cases = new ArrayList<>();
    private final Map<String, String> files = new LinkedHashMap<>();
    private StringBuilder sql = new StringBuilder();
    private int sqlStart;
    private Builder current;

    Reader(String file) {
      this.file = file;
    }

    void line(int number, String line) {
      if (line.isBlank() || line.startsWith("#")) {
        return;
      }
      if (line.startsWith("<< ") && line.indexOf(": ") > 3) {
        String name = line.substring(3, line.indexOf(": "));
        files.merge(name, line.substring(line.indexOf(": ") + 2) + "\n", String::concat);
        return;
      }
      if (line.startsWith("=> ") || line.startsWith("@@ ") || line.startsWith("!! ")) {
        if (current == null) {
          throw new IllegalArgumentException(file + ":" + number + ": expectation without SQL");
        }
        current.expect(line);
        return;
      }
      closeCase();
      if (sql.length() == 0) {
        sqlStart = number;
      }
      sql.append(sql.length() == 0 ? "" : "\n").append(line);
      if (line.endsWith(";")) {
        current = new Builder(sqlStart, sql);
        sql = new StringBuilder();
      }
    }

    private void closeCase() {
      if (current != null) {
        cases.add(current.build());
        current = null;
      }
    }

    List<Case> finish() {
      closeCase();
      if (sql.length() > 0) {
        throw new IllegalArgumentException(file + ": statement without ';' at the end");
      }
      return cases;
    }
  }

  private static final class Builder {
    private final int line;
    private final String sql;
    private List<List<String>> rows;
    private List<String> labels;
    private String errorCode;

    Builder(int line, StringBuilder sql) {
      this.line = line;
      String text = sql.toString();
      this.sql = text.substring(0, text.length() - 1).trim();
    }

    void expect(String line) {
      String value = line.substring(3);
      switch (line.substring(0, 2)) {
        case "=>" -> {
          rows = rows == null ? new ArrayList<>() : rows;
          if (!value.equals("(no rows)")) {
            rows.add(List.of(value.replace("\\n", "\n").split(" \\| ", -1)));
          }
        }
        case "@@" -> labels = List.of(value.split(" \\| ", -1));
        default -> errorCode = value.trim().split("\\s+")[0];
      }
    }

    Case build() {
      return new Case(line, sql, rows, labels, errorCode);
    }
  }
}
