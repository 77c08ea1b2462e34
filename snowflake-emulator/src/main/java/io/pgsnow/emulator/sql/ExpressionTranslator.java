package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Rewrites Snowflake query syntax into DuckDB SQL: identifier case, VARIANT paths ({@code
 * col:a.b[0]}), casts to Snowflake type names, string escapes and session functions. Functions with
 * no DuckDB twin (PARSE_JSON, TO_TIMESTAMP_NTZ, IFF, ...) are provided as DuckDB macros by the
 * engine, so they pass through unchanged.
 */
public final class ExpressionTranslator {

  private final List<Token> tokens;
  private final SessionValues session;
  private final List<String> out = new ArrayList<>();
  private final Deque<Integer> openParens = new ArrayDeque<>();
  private final Deque<Boolean> castParens = new ArrayDeque<>();
  private final Map<Integer, Integer> closeToOpen = new java.util.HashMap<>();
  private int i;

  private ExpressionTranslator(List<Token> tokens, SessionValues session) {
    this.tokens = tokens;
    this.session = session;
  }

  public static String translate(List<Token> tokens, SessionValues session) {
    return new ExpressionTranslator(tokens, session).run();
  }

  public static String translate(String sql, SessionValues session) {
    return translate(SqlLexer.tokenize(sql), session);
  }

  private String run() {
    while (i < tokens.size()) {
      step(tokens.get(i));
    }
    StringBuilder sql = new StringBuilder();
    out.forEach(sql::append);
    return sql.toString().trim();
  }

  private void step(Token token) {
    if (i == datePartAt) {
      emit(Token.duckLiteral(DateParts.duckPart(token)));
      return;
    }
    switch (token.kind()) {
      case SPACE, COMMENT -> emitSpace();
      case WORD -> word(token);
      case STRING -> emit(Token.duckLiteral(token.stringValue()));
      case SYMBOL -> symbol(token);
      case DOLLAR -> throw Unsupported.feature("positional column reference " + token.text());
      default -> emit(token.text());
    }
  }

  private void emit(String text) {
    out.add(text);
    i++;
  }

  private void emitSpace() {
    if (!out.isEmpty() && !out.get(out.size() - 1).equals(" ")) {
      out.add(" ");
    }
    i++;
  }

  private void word(Token token) {
    String upper = token.upper();
    String sessionValue = sessionFunction(upper);
    if (sessionValue != null) {
      i++;
      skipEmptyCallParens();
      out.add(Token.duckLiteral(sessionValue));
      return;
    }
    if (CLOCK_FUNCTIONS.contains(upper)) {
      // Snowflake accepts CURRENT_TIMESTAMP() with parentheses; DuckDB only the bare keyword.
      i++;
      skipEmptyCallParens();
      out.add(upper.equals("SYSDATE") ? "CURRENT_TIMESTAMP" : upper);
      return;
    }
    if (functionCall(upper)) {
      return;
    }
    if (informationSchemaView(upper)) {
      return;
    }
    if (upper.equals("VALUES") && valuesInFrom()) {
      return;
    }
    if (upper.equals("AS") && Boolean.TRUE.equals(castParens.peek())) {
      castTarget();
      return;
    }
    emit(upper);
  }

  /** Rewrites the load history views of INFORMATION_SCHEMA; true if done. */
  private boolean informationSchemaView(String upper) {
    if (!previousOutIs(".", "INFORMATION_SCHEMA")) {
      return false;
    }
    if (upper.equals("COPY_HISTORY")) {
      throw Unsupported.feature("INFORMATION_SCHEMA.COPY_HISTORY outside TABLE(...)");
    }
    if (upper.equals("LOAD_HISTORY")) {
      loadHistoryView();
      return true;
    }
    return false;
  }

  /**
   * {@code [db.]INFORMATION_SCHEMA.LOAD_HISTORY}: the qualifier already written is taken back and
   * the view becomes the engine's table macro (see {@link LoadHistoryCalls}).
   */
  private void loadHistoryView() {
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
    out.add(LoadHistoryCalls.loadHistory(database));
    i++;
  }

  /** Whether the last significant output tokens are {@code words}, last first. */
  private boolean previousOutIs(String... words) {
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

  /**
   * Snowflake functions written as a DuckDB function or engine macro of another name: variadic ones
   * with a DuckDB twin (macros cannot be variadic), and those whose name DuckDB uses for something
   * else (see the engine's semi-structured macros).
   */
  private static final Map<String, String> FUNCTION_RENAMES =
      Map.of(
          "ARRAY_CONSTRUCT", "json_array",
          "TYPEOF", "sf_typeof",
          "GET", "sf_get",
          "ARRAY_CONTAINS", "sf_array_contains");

  /** Rewrites a call of a function that DuckDB names or shapes differently; true if done. */
  private boolean functionCall(String upper) {
    if (!nextIsOpenParen()) {
      return false;
    }
    String renamed = FUNCTION_RENAMES.get(upper);
    if (renamed != null) {
      emit(renamed);
      return true;
    }
    if (AggregateCalls.NAMES.contains(upper)) {
      aggregateCall(upper);
      return true;
    }
    if (FunctionCalls.handles(upper) && rewrittenCall(upper)) {
      return true;
    }
    String datePartFunction = DATE_PART_FUNCTIONS.get(upper);
    if (datePartFunction != null) {
      int partAt = nextSignificant(nextSignificant(i + 1) + 1);
      String part = partAt < tokens.size() ? DateParts.duckPart(tokens.get(partAt)) : "";
      emit(DateParts.function(datePartFunction, part));
      datePartAt = partAt;
      return true;
    }
    return tableFunction(upper);
  }

  /** A call {@link FunctionCalls} rewrites as a whole; false when it passes through. */
  private boolean rewrittenCall(String upper) {
    int open = nextSignificant(i + 1);
    int close = matchingClose(open);
    List<List<Token>> args = TokenLists.splitTopLevel(tokens.subList(open + 1, close));
    String sql = FunctionCalls.rewrite(upper, args, arg -> translate(arg, session));
    if (sql == null) {
      return false;
    }
    out.add(sql);
    i = close + 1;
    return true;
  }

  /**
   * An aggregate of {@link AggregateCalls} with its optional {@code WITHIN GROUP (ORDER BY ...)}
   * and {@code OVER (...)}, all consumed.
   */
  private void aggregateCall(String upper) {
    int open = nextSignificant(i + 1);
    int close = matchingClose(open);
    List<List<Token>> args = TokenLists.splitTopLevel(tokens.subList(open + 1, close));
    int end = close + 1;
    String orderBy = "";
    int within = nextSignificant(end);
    if (within < tokens.size() && tokens.get(within).isWord("WITHIN")) {
      int group = nextSignificant(within + 1);
      int paren = nextSignificant(group + 1);
      if (paren >= tokens.size()
          || !tokens.get(group).isWord("GROUP")
          || !tokens.get(paren).isSymbol("(")) {
        throw SnowflakeSqlException.syntax("WITHIN GROUP needs (ORDER BY ...)");
      }
      int parenClose = matchingClose(paren);
      orderBy = translate(tokens.subList(paren + 1, parenClose), session);
      end = parenClose + 1;
    }
    String over = "";
    int window = nextSignificant(end);
    if (window < tokens.size() && tokens.get(window).isWord("OVER")) {
      int paren = nextSignificant(window + 1);
      if (paren >= tokens.size() || !tokens.get(paren).isSymbol("(")) {
        throw Unsupported.feature(upper + " OVER a named window");
      }
      int parenClose = matchingClose(paren);
      over = "OVER " + translate(tokens.subList(paren, parenClose + 1), session);
      end = parenClose + 1;
    }
    out.add(AggregateCalls.rewrite(upper, args, orderBy, over, arg -> translate(arg, session)));
    i = end;
  }

  /** Functions whose first argument is a date or time part, by the DuckDB function they become. */
  private static final Map<String, String> DATE_PART_FUNCTIONS =
      Map.of(
          "DATEADD", "dateadd",
          "TIMESTAMPADD", "dateadd",
          "DATEDIFF", "date_diff",
          "TIMESTAMPDIFF", "date_diff",
          "DATE_TRUNC", "date_trunc",
          "DATE_PART", "date_part");

  /** The token index of a date-part argument to write as a DuckDB part literal, or -1. */
  private int datePartAt = -1;

  /**
   * {@code FLATTEN(...)} and {@code TABLE(FLATTEN(...))} become a lateral subquery (see {@link
   * FlattenCall}); true when the call was consumed.
   */
  private boolean tableFunction(String upper) {
    if (!nextIsOpenParen()) {
      return false;
    }
    int open = nextSignificant(i + 1);
    if (upper.equals("TABLE")) {
      int inner = nextSignificant(open + 1);
      int close = matchingClose(open);
      if (inner >= tokens.size() || !tokens.get(inner).isWord("FLATTEN")) {
        String history =
            LoadHistoryCalls.copyHistory(
                tokens.subList(inner, close), arg -> translate(arg, session));
        if (history == null) {
          throw Unsupported.feature(
              "TABLE(" + (inner < tokens.size() ? tokens.get(inner).upper() : "") + ")");
        }
        out.add(history);
        i = close + 1;
        return true;
      }
      i = inner;
      flatten();
      i = close + 1;
      return true;
    }
    if (upper.equals("FLATTEN")) {
      flatten();
      return true;
    }
    return false;
  }

  private void flatten() {
    int open = nextSignificant(i + 1);
    int close = matchingClose(open);
    String last = lastSignificantOut();
    if (!last.equals("LATERAL") && !last.equals("FROM")) {
      out.add("LATERAL ");
    }
    out.add(FlattenCall.toDuckSql(tokens.subList(open + 1, close), session));
    i = close + 1;
  }

  private int matchingClose(int open) {
    int depth = 0;
    for (int j = open; j < tokens.size(); j++) {
      if (tokens.get(j).isSymbol("(")) {
        depth++;
      } else if (tokens.get(j).isSymbol(")") && --depth == 0) {
        return j;
      }
    }
    throw SnowflakeSqlException.syntax("unbalanced parentheses");
  }

  private boolean nextIsOpenParen() {
    int j = nextSignificant(i + 1);
    return j < tokens.size() && tokens.get(j).isSymbol("(");
  }

  private static final java.util.Set<String> CLAUSE_WORDS =
      java.util.Set.of(
          "WHERE",
          "GROUP",
          "ORDER",
          "LIMIT",
          "UNION",
          "JOIN",
          "LEFT",
          "RIGHT",
          "INNER",
          "FULL",
          "CROSS",
          "QUALIFY",
          "HAVING",
          "WINDOW",
          "EXCEPT",
          "INTERSECT",
          "ON",
          "NATURAL");

  /** A VALUES list in a FROM clause, bare or in parentheses; true if rewritten. */
  private boolean valuesInFrom() {
    if (lastSignificantOut().equals("FROM")) {
      valuesTable();
      return true;
    }
    if (previousOutIs("(", "FROM") || previousOutIs("(", "JOIN") || previousOutIs("(", ",")) {
      // FROM (VALUES ...): the same COLUMN1..n, from a query of the list.
      out.add("SELECT * FROM ");
      valuesTable();
      return true;
    }
    return false;
  }

  /**
   * {@code FROM VALUES (..), (..)}: Snowflake names the columns COLUMN1..n, DuckDB col0..; the list
   * becomes a derived table with Snowflake's names (or the alias's own column list).
   */
  private void valuesTable() {
    int start = i + 1;
    int j = nextSignificant(start);
    int columns = 1;
    int depth = 0;
    boolean firstRow = true;
    while (j < tokens.size()) {
      Token t = tokens.get(j);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
        if (depth == 0) {
          firstRow = false;
          int k = nextSignificant(j + 1);
          if (k >= tokens.size() || !tokens.get(k).isSymbol(",")) {
            j++;
            break;
          }
        }
      } else if (t.isSymbol(",") && depth == 1 && firstRow) {
        columns++;
      }
      j++;
    }
    String rows = translate(tokens.subList(start, j), session);
    i = j;
    out.add("(VALUES " + rows + ")");
    aliasValues(columns);
  }

  private void aliasValues(int columns) {
    int k = nextSignificant(i);
    boolean explicitAs = k < tokens.size() && tokens.get(k).isWord("AS");
    int aliasAt = explicitAs ? nextSignificant(k + 1) : k;
    boolean hasAlias =
        aliasAt < tokens.size()
            && (tokens.get(aliasAt).kind() == Kind.QUOTED_IDENT
                || (tokens.get(aliasAt).kind() == Kind.WORD
                    && !CLAUSE_WORDS.contains(tokens.get(aliasAt).upper())));
    String alias = "\"_VALUES\"";
    if (hasAlias) {
      int afterAlias = nextSignificant(aliasAt + 1);
      if (afterAlias < tokens.size() && tokens.get(afterAlias).isSymbol("(")) {
        return;
      }
      Token a = tokens.get(aliasAt);
      alias = a.kind() == Kind.QUOTED_IDENT ? a.text() : a.upper();
      i = aliasAt + 1;
    }
    StringBuilder names = new StringBuilder(" AS ").append(alias).append('(');
    for (int c = 1; c <= columns; c++) {
      names.append(c == 1 ? "" : ", ").append("COLUMN").append(c);
    }
    out.add(names.append(')').toString());
  }

  private static final java.util.Set<String> CLOCK_FUNCTIONS =
      java.util.Set.of(
          "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "SYSDATE");

  private String sessionFunction(String upper) {
    return switch (upper) {
      case "CURRENT_USER" -> session.user();
      case "CURRENT_ROLE" -> session.role();
      case "CURRENT_WAREHOUSE" -> session.warehouse();
      case "CURRENT_ACCOUNT", "CURRENT_ACCOUNT_NAME" -> session.account();
      case "CURRENT_REGION" -> "LOCAL";
      case "CURRENT_VERSION" -> "9.0.0";
      case "CURRENT_CLIENT" -> "JDBC";
      default -> null;
    };
  }

  private void skipEmptyCallParens() {
    int j = nextSignificant(i);
    if (j < tokens.size() && tokens.get(j).isSymbol("(")) {
      int k = nextSignificant(j + 1);
      if (k < tokens.size() && tokens.get(k).isSymbol(")")) {
        i = k + 1;
      }
    }
  }

  private int nextSignificant(int from) {
    int j = from;
    while (j < tokens.size() && tokens.get(j).isTrivia()) {
      j++;
    }
    return j;
  }

  private void skipTriviaInto() {
    int j = nextSignificant(i);
    if (j > i) {
      out.add(" ");
    }
    i = j;
  }

  private SnowflakeType readType() {
    List<Token> rest = tokens.subList(i, tokens.size());
    TokenCursor cursor = new TokenCursor(rest);
    int before = significantCount(rest);
    SnowflakeType type = cursor.type();
    int consumed = before - significantCount(cursor.rest());
    int seen = 0;
    while (seen < consumed && i < tokens.size()) {
      if (!tokens.get(i).isTrivia()) {
        seen++;
      }
      i++;
    }
    return type;
  }

  private static int significantCount(List<Token> list) {
    int n = 0;
    for (Token t : list) {
      if (!t.isTrivia() && !t.isSymbol(";")) {
        n++;
      }
    }
    return n;
  }

  private void symbol(Token token) {
    switch (token.text()) {
      case "(" -> openParen();
      case ")" -> closeParen();
      case "::" -> cast();
      case ":" -> {
        if (endsWithPrimary()) {
          variantPath();
        } else {
          emit(":");
        }
      }
      default -> emit(token.text());
    }
  }

  /** DuckDB's conversion of any value to JSON, which is how a VARIANT is stored. */
  private static final String TO_VARIANT = "to_json";

  /**
   * Postfix cast. Casting text to BINARY decodes hex in Snowflake (BINARY_INPUT_FORMAT=HEX), while
   * DuckDB would take the characters' bytes, so that cast becomes {@code unhex(...)}; TIMESTAMP_TZ
   * and text are made by their macros (see {@link SnowflakeType}).
   */
  private void cast() {
    i++;
    i = nextSignificant(i);
    SnowflakeType type = readType();
    if (type.duckType().equals("BLOB") && !out.isEmpty()) {
      out.add("unhex(" + takeBase() + ")");
    } else if (type.isTimestampTz() && !out.isEmpty()) {
      out.add(type.convert(takeBase()));
    } else if (type.isText() && !out.isEmpty()) {
      out.add(
          type.textLength() < 0
              ? SnowflakeType.CAST_TO_TEXT + "(" + takeBase() + ")"
              : SnowflakeType.CAST_TO_TEXT_MAX + "(" + takeBase() + ", " + type.textLength() + ")");
    } else if (type.label().equals("VARIANT")
        && !out.isEmpty()
        && !lastSignificantOut().equals("?")) {
      // A value cast to VARIANT keeps its type: 'a'::VARIANT is the string "a", not parsed JSON.
      out.add(TO_VARIANT + "(" + takeBase() + ")");
    } else if (!type.isSemiStructured() && !out.isEmpty() && !lastSignificantOut().equals("?")) {
      // A VARIANT holding a string ("12") casts as its text, as Snowflake does; others unchanged.
      out.add(SnowflakeType.scalarCast(takeBase(), type.duckType(), false));
    } else {
      out.add("::" + type.duckType());
    }
  }

  /**
   * The {@code AS type} of {@code CAST(x AS type)}. A cast to TIMESTAMP_TZ or to text becomes a
   * call of its macro: the {@code CAST} word is renamed and {@code AS type} dropped, so {@code )}
   * closes it.
   */
  private void castTarget() {
    boolean bind = lastSignificantOut().equals("?");
    int as = out.size();
    emit("AS");
    skipTriviaInto();
    SnowflakeType type = readType();
    int open = openParens.isEmpty() ? -1 : openParens.peek();
    int castWord = open - 1;
    while (castWord >= 0 && out.get(castWord).equals(" ")) {
      castWord--;
    }
    boolean lenient = castWord >= 0 && out.get(castWord).equals("TRY_CAST");
    String macro = castMacro(type, lenient, bind);
    if (macro != null && castWord >= 0) {
      out.subList(as, out.size()).clear();
      while (!out.isEmpty() && out.get(out.size() - 1).equals(" ")) {
        out.remove(out.size() - 1);
      }
      out.set(castWord, macro);
      if (type.textLength() >= 0) {
        out.add(", " + type.textLength());
      }
      return;
    }
    out.add(type.duckType());
  }

  /**
   * The engine macro that makes {@code CAST(x AS type)} (or TRY_CAST when {@code lenient}) as
   * Snowflake does, or null for DuckDB's own cast: TIMESTAMP_TZ, text (a declared length checked),
   * VARIANT (not of a bind), and TRY_CAST to TIMESTAMP, which reads Snowflake's AUTO formats.
   */
  private static String castMacro(SnowflakeType type, boolean lenient, boolean bind) {
    if (type.isTimestampTz()) {
      return SnowflakeType.TO_TIMESTAMP_TZ;
    }
    if (type.isText() && type.textLength() >= 0) {
      return lenient ? SnowflakeType.TRY_CAST_TO_TEXT_MAX : SnowflakeType.CAST_TO_TEXT_MAX;
    }
    if (type.isText()) {
      return SnowflakeType.CAST_TO_TEXT;
    }
    if (type.label().equals("VARIANT") && !bind) {
      return TO_VARIANT;
    }
    return lenient && type.duckType().equals("TIMESTAMP") ? "try_to_timestamp_ntz" : null;
  }

  private void openParen() {
    String previous = lastSignificantOut();
    castParens.push(previous.equals("CAST") || previous.equals("TRY_CAST"));
    openParens.push(out.size());
    emit("(");
  }

  private void closeParen() {
    if (!openParens.isEmpty()) {
      closeToOpen.put(out.size(), openParens.pop());
      castParens.pop();
    }
    emit(")");
  }

  private String lastSignificantOut() {
    for (int j = out.size() - 1; j >= 0; j--) {
      if (!out.get(j).equals(" ")) {
        return out.get(j);
      }
    }
    return "";
  }

  private boolean endsWithPrimary() {
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

  /** Removes the expression the path applies to from the output and returns its text. */
  private String takeBase() {
    int end = out.size() - 1;
    int start = end;
    while (start > 0 && out.get(start).equals("]")) {
      start = Math.max(0, openBracketBefore(start) - 1);
    }
    if (out.get(start).equals(")") && closeToOpen.containsKey(start)) {
      start = closeToOpen.get(start);
      if (start > 0 && isIdentifierText(out.get(start - 1))) {
        start--;
      }
    }
    while (start >= 2 && out.get(start - 1).equals(".") && isIdentifierText(out.get(start - 2))) {
      start -= 2;
    }
    StringBuilder base = new StringBuilder();
    for (int j = start; j <= end; j++) {
      base.append(out.get(j));
    }
    out.subList(start, end + 1).clear();
    return base.toString();
  }

  /** The output index of the {@code [} that the {@code ]} at {@code close} ends. */
  private int openBracketBefore(int close) {
    int depth = 0;
    for (int j = close; j > 0; j--) {
      if (out.get(j).equals("]")) {
        depth++;
      } else if (out.get(j).equals("[") && --depth == 0) {
        return j;
      }
    }
    return 0;
  }

  private static boolean isIdentifierText(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char c = text.charAt(0);
    return Character.isLetter(c) || c == '_' || c == '"' || c == '$';
  }

  private void variantPath() {
    String base = takeBase();
    i++;
    StringBuilder path = new StringBuilder("$");
    appendKey(path, tokens.get(i++));
    while (i < tokens.size()) {
      Token t = tokens.get(i);
      if (t.isSymbol(".") && i + 1 < tokens.size()) {
        i++;
        appendKey(path, tokens.get(i++));
      } else if (t.isSymbol("[") && i + 2 < tokens.size() && tokens.get(i + 2).isSymbol("]")) {
        appendIndex(path, tokens.get(i + 1));
        i += 3;
      } else {
        break;
      }
    }
    String pathLiteral = Token.duckLiteral(path.toString());
    int j = nextSignificant(i);
    if (j < tokens.size() && tokens.get(j).isSymbol("::")) {
      i = nextSignificant(j + 1);
      SnowflakeType type = readType();
      out.add(castPath(base, pathLiteral, type));
    } else {
      out.add("json_extract(" + base + ", " + pathLiteral + ")");
    }
  }

  /**
   * The DuckDB JSON path of a Snowflake path as GET_PATH takes it: {@code a.b[0]}, {@code a['b
   * c']}, {@code "A"}, {@code [0].x}.
   */
  static String jsonPath(String snowflakePath) {
    List<Token> steps = TokenLists.significant(SqlLexer.tokenize(snowflakePath));
    StringBuilder path = new StringBuilder("$");
    int j = 0;
    while (j < steps.size()) {
      Token t = steps.get(j);
      if (t.isSymbol(".") && j + 1 < steps.size()) {
        appendKey(path, steps.get(j + 1));
        j += 2;
      } else if (t.isSymbol("[") && j + 2 < steps.size() && steps.get(j + 2).isSymbol("]")) {
        Token index = steps.get(j + 1);
        if (index.kind() == Kind.QUOTED_IDENT) {
          appendKey(path, index);
        } else {
          appendIndex(path, index);
        }
        j += 3;
      } else if (j == 0 && (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT)) {
        appendKey(path, t);
        j++;
      } else {
        throw SnowflakeSqlException.syntax("invalid path '" + snowflakePath + "'");
      }
    }
    return path.toString();
  }

  private static String castPath(String base, String pathLiteral, SnowflakeType type) {
    if (type.isSemiStructured()) {
      return "json_extract(" + base + ", " + pathLiteral + ")";
    }
    String text = "json_extract_string(" + base + ", " + pathLiteral + ")";
    return type.isText() ? text : type.convert(text);
  }

  private static void appendKey(StringBuilder path, Token key) {
    String name =
        switch (key.kind()) {
          case QUOTED_IDENT -> ObjectName.normalizePart(key.text());
          case STRING -> key.stringValue();
          default -> key.text();
        };
    path.append(".\"").append(name.replace("\"", "\\\"")).append('"');
  }

  private static void appendIndex(StringBuilder path, Token index) {
    if (index.kind() == Kind.NUMBER) {
      path.append('[').append(index.text()).append(']');
    } else {
      path.append(".\"").append(index.stringValue().replace("\"", "\\\"")).append('"');
    }
  }
}
