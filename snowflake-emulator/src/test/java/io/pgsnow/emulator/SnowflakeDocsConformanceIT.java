package io.pgsnow.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite: the examples of Snowflake's documentation (src/test/resources/conformance,
 * one file per page, see {@link ConformanceCases}) run through the real JDBC driver against the
 * emulator. Each file runs in a schema of its own, its cases in order (later ones may read tables
 * earlier ones made). A documented output the emulator does not give fails the case; so does a form
 * the emulator refuses without the documented error code.
 */
class SnowflakeDocsConformanceIT {

  private static SnowflakeEmulator emulator;
  private static Connection conn;
  @TempDir static Path files;

  @BeforeAll
  static void start() throws SQLException {
    emulator = EmulatorClients.startWithDatabase("DOCS_DB");
    conn = EmulatorClients.password(emulator, "DOCS_DB", "PUBLIC");
  }

  @AfterAll
  static void stop() throws SQLException {
    conn.close();
    emulator.close();
  }

  @TestFactory
  Stream<DynamicNode> documentedExamples() throws IOException, URISyntaxException {
    Path dir = Path.of(SnowflakeDocsConformanceIT.class.getResource("/conformance").toURI());
    List<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(f -> f.endsWith(".cases"))
              .sorted()
              .toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream().map(f -> pageTests(ConformanceCases.load(f)));
  }

  private static DynamicContainer pageTests(ConformanceCases page) {
    String schema =
        page.file().replace(".cases", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            "schema " + schema,
            () -> {
              EmulatorClients.exec(
                  conn, "CREATE OR REPLACE SCHEMA " + schema, "USE SCHEMA " + schema);
              for (Map.Entry<String, String> f : page.files().entrySet()) {
                Files.writeString(files.resolve(f.getKey()), f.getValue());
              }
            }));
    for (ConformanceCases.Case c : page.cases()) {
      tests.add(
          DynamicTest.dynamicTest(
              "line " + c.line() + ": " + c.sql().replaceAll("\\s+", " "), () -> run(page, c)));
    }
    return DynamicContainer.dynamicContainer(page.file() + " (" + page.source() + ")", tests);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The rows with VARIANT, OBJECT and ARRAY cells as JSON trees: Snowflake prints them indented and
   * the emulator compact, which the documented outputs do not tell apart from a different value.
   */
  private static List<List<Object>> comparable(List<List<String>> rows, ResultSetMetaData md)
      throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    for (List<String> row : rows) {
      List<Object> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String type = i < md.getColumnCount() ? md.getColumnTypeName(i + 1) : "";
        cells.add(
            Set.of("VARIANT", "OBJECT", "ARRAY").contains(type) ? json(row.get(i)) : row.get(i));
      }
      out.add(cells);
    }
    return out;
  }

  /**
   * The rows with what the documented rows leave open masked: a cell {@code *} (a creation time, a
   * size) matches any value, and a row ending in {@code ...} compares its first cells only (the
   * page shows more columns than the case names).
   */
  private static List<List<String>> masked(List<List<String>> rows, List<List<String>> expected) {
    List<List<String>> out = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = new ArrayList<>(rows.get(r));
      List<String> want = r < expected.size() ? expected.get(r) : List.of();
      if (!want.isEmpty() && want.get(want.size() - 1).equals("...")) {
        row = new ArrayList<>(row.subList(0, Math.min(row.size(), want.size() - 1)));
        row.add("...");
      }
      for (int i = 0; i < Math.min(row.size(), want.size()); i++) {
        if (want.get(i).equals("*")) {
          row.set(i, "*");
        }
      }
      out.add(row);
    }
    return out;
  }

  private static Object json(String text) {
    try {
      return text.equals("NULL") ? text : JSON.readTree(text);
    } catch (IOException e) {
      return text;
    }
  }

  private static void run(ConformanceCases page, ConformanceCases.Case c) throws SQLException {
    String where = page.file() + ":" + c.line() + " (" + page.source() + ")";
    String sql = c.sql().replace("{files}", files.toString().replace('\\', '/'));
    try (Statement st = conn.createStatement()) {
      if (c.errorCode() != null) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> st.execute(sql));
        assertThat((Throwable) e).as("%s must fail with %s", where, c.errorCode()).isNotNull();
        assertThat(e.getErrorCode())
            .as("%s: %s", where, e.getMessage())
            .isEqualTo(Integer.parseInt(c.errorCode()));
        return;
      }
      boolean hasResult = st.execute(sql);
      if (c.setUp()) {
        return;
      }
      if (!hasResult) {
        // DML: the driver reports the documented counts as one update count, their sum.
        assertThat(List.of(List.of(Integer.toString(st.getUpdateCount()))))
            .as("%s update count", where)
            .isEqualTo(c.rows());
        return;
      }
      try (ResultSet rs = st.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        if (c.labels() != null) {
          List<String> labels = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            labels.add(md.getColumnLabel(i));
          }
          assertThat(masked(List.of(labels), List.of(c.labels())).get(0))
              .as("%s column labels", where)
              .isEqualTo(c.labels());
        }
        if (c.rows() != null) {
          List<List<String>> rows = new ArrayList<>();
          while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
              String value = rs.getString(i);
              row.add(value == null ? "NULL" : value);
            }
            rows.add(row);
          }
          assertThat(comparable(masked(rows, c.rows()), md))
              .as("%s rows", where)
              .isEqualTo(comparable(c.rows(), md));
        }
      }
    }
  }
}
