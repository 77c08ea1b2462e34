package io.pgsnow.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's "every query of the sink's models and of bin/demo runs through the conformance-tested
 * paths", checked query by query: each statement the sink emits for its tables, pipes and models
 * (the model golden files, which ModelSqlTest holds the model code to, and the statements of {@code
 * DdlBuilder}) and each query the demo sends to Snowflake is read into its forms ({@link SqlForms}:
 * statement kind, functions, casts, clauses, options, path steps, operators), and every form must
 * be one that a conformance case (a documented example that succeeds) uses too. A query with a form
 * no conformance case has fails this test, naming the query and the form.
 */
class ModelQueryCoverageTest {

  private static final Path SINK = Path.of("../sink-connector/src");

  @Test
  void everySinkAndDemoQueryUsesOnlyConformanceTestedForms() throws Exception {
    Set<String> covered = conformanceForms();
    Map<String, Set<String>> missing = new TreeMap<>();
    Map<String, String> queries = queries();
    assertThat(queries).hasSizeGreaterThan(15);
    queries.forEach(
        (where, sql) -> {
          Set<String> uncovered = new TreeSet<>(SqlForms.of(sql));
          uncovered.removeAll(covered);
          if (!uncovered.isEmpty()) {
            missing.put(where, uncovered);
          }
        });
    assertThat(missing).as("forms of sink/demo queries without a conformance case").isEmpty();
  }

  private static final Pattern DEMO_CALL =
      Pattern.compile(
          "(?:warehouse\\.(?:query|execute)|\\bs\\.execute(?:Query)?)\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /**
   * The demo's queries listed above are all it sends to Snowflake: each statement its source passes
   * to the warehouse starts like one of them (the rest of a statement is its constants).
   */
  @Test
  void theListedDemoQueriesAreTheDemosCalls() throws IOException {
    List<String> starts = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("../demo/src/main/java/io/pgsnow/demo"))) {
      for (Path f : files.sorted().toList()) {
        Matcher m = DEMO_CALL.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          starts.add(m.group(1).replaceAll("\\s+", " ").trim());
        }
      }
    }
    assertThat(starts).hasSizeGreaterThanOrEqualTo(8);
    for (String start : starts) {
      assertThat(JSqlParserTrial.DEMO_QUERIES)
          .as("the demo sends %s", start)
          .anyMatch(q -> q.replaceAll("\\s+", " ").startsWith(start));
    }
  }

  /** The check itself: a form that no conformance case uses is reported. */
  @Test
  void aFormWithoutAConformanceCaseIsFound() throws Exception {
    Set<String> covered = conformanceForms();
    Set<String> forms = new TreeSet<>(SqlForms.of("SELECT NOT_DOCUMENTED_FN(1) FROM t"));
    forms.removeAll(covered);
    assertThat(forms).containsExactly("function:NOT_DOCUMENTED_FN");
    assertThat(covered).contains("statement:CREATE DYNAMIC TABLE", "keyword:QUALIFY");
  }

  /** The forms of the conformance cases that succeed (set-up, documented rows or labels). */
  static Set<String> conformanceForms() throws IOException, URISyntaxException {
    Path dir = Path.of(ModelQueryCoverageTest.class.getResource("/conformance").toURI());
    Set<String> forms = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".cases")).toList()) {
        for (ConformanceCases.Case c : ConformanceCases.load(f.getFileName().toString()).cases()) {
          if (c.errorCode() == null) {
            forms.addAll(SqlForms.of(c.sql()));
          }
        }
      }
    }
    return forms;
  }

  /** Every query to check, by where it comes from. */
  private static Map<String, String> queries() throws IOException {
    Map<String, String> queries = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(SINK.resolve("test/resources/models"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
        queries.put("model " + f.getFileName(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    ddlStatements().forEach((method, sql) -> queries.put("DdlBuilder." + method, sql));
    for (int i = 0; i < JSqlParserTrial.DEMO_QUERIES.size(); i++) {
      queries.put("demo query " + (i + 1), JSqlParserTrial.DEMO_QUERIES.get(i));
    }
    return queries;
  }

  private static final Pattern METHOD =
      Pattern.compile("public static String (\\w+)\\(([^)]*)\\) \\{(.*?)\n  }", Pattern.DOTALL);

  /** The pieces of a DdlBuilder method's SQL, in the order the method joins them. */
  private static final Pattern PIECE =
      Pattern.compile(
          "\"((?:[^\"\\\\]|\\\\.)*)\"|'(.)'|\\b(METADATA_COLUMN|CONTENT_COLUMN)\\b"
              + "|\\b(copyInto|schematizedCopy)\\(|\\.sql\\(\\)|\\.type\\(\\)");

  /**
   * The statements of {@code DdlBuilder}, read from its source: each method's string literals in
   * order, a name ({@code x.sql()}) as a quoted identifier, a column type as VARCHAR, a call of
   * another builder as that builder's SQL. Methods whose text is not SQL are left out.
   */
  static Map<String, String> ddlStatements() throws IOException {
    String source = Files.readString(SINK.resolve("main/java/io/pgsnow/sink/ddl/DdlBuilder.java"));
    Map<String, String> bodies = new LinkedHashMap<>();
    Matcher m = METHOD.matcher(source);
    while (m.find()) {
      bodies.put(m.group(1), m.group(3));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String method : bodies.keySet()) {
      String sql = render(method, bodies).trim();
      if (sql.matches("(?s)^(CREATE|ALTER|COPY|INSERT|SELECT)\\b.*")) {
        out.put(method, sql);
      }
    }
    assertThat(out).containsKeys("createTable", "createPipe", "copyInto", "schematizedCopy");
    return out;
  }

  private static String render(String method, Map<String, String> bodies) {
    StringBuilder sql = new StringBuilder();
    Matcher p = PIECE.matcher(bodies.get(method));
    List<String> pieces = new ArrayList<>();
    while (p.find()) {
      if (p.group(1) != null) {
        pieces.add(p.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
      } else if (p.group(2) != null) {
        pieces.add(p.group(2));
      } else if (p.group(3) != null) {
        pieces.add(p.group(3).equals("METADATA_COLUMN") ? "RECORD_METADATA" : "RECORD_CONTENT");
      } else if (p.group(4) != null) {
        pieces.add(render(p.group(4), bodies));
      } else {
        pieces.add(p.group().equals(".sql()") ? "\"NAME\"" : "VARCHAR");
      }
    }
    pieces.forEach(sql::append);
    return sql.toString();
  }
}
