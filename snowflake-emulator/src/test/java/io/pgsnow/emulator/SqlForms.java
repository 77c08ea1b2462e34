package io.pgsnow.emulator;

import io.pgsnow.emulator.sql.SqlLexer;
import io.pgsnow.emulator.sql.Token;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The forms a Snowflake statement uses, read from the emulator's own tokens: its statement kind
 * ({@code statement:CREATE DYNAMIC TABLE}), the functions it calls ({@code function:IFF}), the
 * types it casts to ({@code cast:NUMBER(p,s)}), its clauses and keywords ({@code keyword:QUALIFY}),
 * the options it sets ({@code option:TARGET_LAG=<duration>}), and its operators and VARIANT path
 * steps ({@code path:"quoted"}, {@code operator:||}). {@link ModelQueryCoverageTest} compares the
 * forms of the sink's and the demo's queries with those the conformance suite runs.
 */
final class SqlForms {

  /** Words whose presence is a form of its own: clauses, predicates, window frames. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "WHERE",
          "GROUP",
          "HAVING",
          "ORDER",
          "QUALIFY",
          "LIMIT",
          "UNION",
          "JOIN",
          "LEFT",
          "INNER",
          "LATERAL",
          "OVER",
          "PARTITION",
          "ROWS",
          "RANGE",
          "UNBOUNDED",
          "PRECEDING",
          "FOLLOWING",
          "CURRENT",
          "WITHIN",
          "DISTINCT",
          "EXISTS",
          "CASE",
          "IS",
          "NULL",
          "LIKE",
          "ILIKE",
          "IN",
          "BETWEEN",
          "DESC",
          "ASC",
          "NOT",
          "AND",
          "OR",
          "WITH",
          "IF",
          "REPLACE",
          "ADD",
          "COLUMN",
          "COMMENT",
          "TRUE",
          "FALSE",
          "AT",
          "BEFORE",
          "CLONE",
          "INTERVAL");

  /** Words before a parenthesis that are not function calls. */
  private static final Set<String> NOT_CALLS =
      Set.of(
          "IN",
          "AS",
          "OVER",
          "EXISTS",
          "VALUES",
          "INTO",
          "FROM",
          "AND",
          "OR",
          "NOT",
          "WHERE",
          "FILE_FORMAT",
          "BY",
          "ON",
          "USING",
          "WITHIN",
          "TABLE",
          "SELECT",
          "JOIN",
          "THEN",
          "ELSE",
          "WHEN",
          "IS",
          "CLUSTER");

  /** Statement words read from the start of the text, up to the first name. */
  private static final Set<String> STATEMENT_WORDS =
      Set.of(
          "CREATE",
          "OR",
          "REPLACE",
          "TRANSIENT",
          "SECURE",
          "DYNAMIC",
          "TABLE",
          "VIEW",
          "STAGE",
          "PIPE",
          "DATABASE",
          "SCHEMA",
          "IF",
          "NOT",
          "EXISTS",
          "ALTER",
          "DROP",
          "COPY",
          "INTO",
          "INSERT",
          "SELECT",
          "WITH",
          "SHOW",
          "STAGES",
          "PIPES",
          "TABLES",
          "SCHEMAS",
          "DATABASES",
          "USE",
          "DESC",
          "DESCRIBE",
          "MERGE",
          "DELETE",
          "UPDATE",
          "TRUNCATE",
          "LIST",
          "REMOVE",
          "TERSE");

  /** Options written {@code NAME = value}; the value is kept when it is a word. */
  private static final Set<String> OPTIONS =
      Set.of(
          "TARGET_LAG",
          "WAREHOUSE",
          "TYPE",
          "MATCH_BY_COLUMN_NAME",
          "ON_ERROR",
          "ENABLE_SCHEMA_EVOLUTION",
          "COMMENT",
          "STRIP_OUTER_ARRAY",
          "FORCE",
          "PATTERN",
          "FILES",
          "COMPRESSION",
          "REFRESH_MODE",
          "INITIALIZE");

  private static final Set<String> OPERATORS = Set.of("||", "<>", "!=", "<=", ">=", "=>", "->");

  private SqlForms() {}

  static Set<String> of(String sql) {
    List<Token> tokens =
        SqlLexer.tokenize(sql).stream().filter(t -> t.kind() != Token.Kind.SPACE).toList();
    tokens = tokens.stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
    Set<String> forms = new TreeSet<>();
    forms.add("statement:" + statement(tokens));
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      Token prev = i > 0 ? tokens.get(i - 1) : null;
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      switch (t.kind()) {
        case WORD -> word(forms, tokens, i, prev, next);
        case SYMBOL -> symbol(forms, t, prev, next);
        case DOLLAR -> forms.add("positional:$n");
        // A bind (?) is no form of the SQL: its value travels beside the text (JdbcSqlIT).
        case STAGE -> forms.add("stage:@");
        default -> {}
      }
    }
    return forms;
  }

  private static String statement(List<Token> tokens) {
    StringBuilder out = new StringBuilder();
    for (Token t : tokens) {
      if (t.kind() != Token.Kind.WORD || !STATEMENT_WORDS.contains(t.upper())) {
        break;
      }
      out.append(out.isEmpty() ? "" : " ").append(t.upper());
    }
    String s = out.toString();
    return s.startsWith("WITH") ? "SELECT" : s;
  }

  private static void word(Set<String> forms, List<Token> tokens, int i, Token prev, Token next) {
    String upper = tokens.get(i).upper();
    if (prev != null && prev.isWord("AS")) {
      return; // an alias
    }
    if (prev != null && prev.isSymbol("::")) {
      forms.add("cast:" + upper + (next != null && next.isSymbol("(") ? "(p,s)" : ""));
    } else if (prev != null && prev.isSymbol(":")) {
      forms.add("path:name");
    } else if (next != null && next.isSymbol("=") && OPTIONS.contains(upper)) {
      forms.add("option:" + upper + "=" + optionValue(upper, tokens, i + 2));
    } else if (isCall(upper, prev, next)) {
      forms.add("function:" + upper);
    } else if (KEYWORDS.contains(upper)) {
      forms.add("keyword:" + upper);
    }
  }

  /** An option's value as a form: a word as written, else its kind ({@code <STRING>}). */
  private static String optionValue(String option, List<Token> tokens, int at) {
    if (option.equals("WAREHOUSE")) {
      return "<name>";
    }
    Token value = at < tokens.size() ? tokens.get(at) : null;
    if (value == null) {
      return "";
    }
    if (value.kind() == Token.Kind.WORD) {
      return value.upper();
    }
    return option.equals("TARGET_LAG") ? "<duration>" : "<" + value.kind() + ">";
  }

  /** A word before "(" that names a function: not a keyword, not a table before its columns. */
  private static boolean isCall(String upper, Token prev, Token next) {
    if (next == null || !next.isSymbol("(") || NOT_CALLS.contains(upper)) {
      return false;
    }
    return prev == null
        || prev.kind() != Token.Kind.WORD
        || !Set.of("TABLE", "INTO", "EXISTS", "VIEW").contains(prev.upper());
  }

  private static void symbol(Set<String> forms, Token t, Token prev, Token next) {
    if (t.isSymbol(":") && next != null) {
      forms.add(next.kind() == Token.Kind.QUOTED_IDENT ? "path:\"quoted\"" : "path:name");
      return;
    }
    if (t.isSymbol(".")
        && prev != null
        && next != null
        && next.kind() == Token.Kind.QUOTED_IDENT
        && prev.kind() == Token.Kind.QUOTED_IDENT) {
      forms.add("name:\"a\".\"b\"");
      return;
    }
    if (t.isSymbol("[") && prev != null && prev.kind() != Token.Kind.SYMBOL) {
      forms.add("path:[bracket]");
      return;
    }
    if (OPERATORS.contains(t.text())) {
      forms.add("operator:" + t.text());
    }
  }
}
