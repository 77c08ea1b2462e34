package io.pgsnow.emulator.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
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
    String sessionValue = session.valueOf(upper);
    if (sessionValue != null) {
      i++;
      skipEmptyCallParens();
      out.add(Token.duckLiteral(sessionValue));
      return;
    }
    if ((upper.equals("CURRENT_DATABASE") || upper.equals("CURRENT_SCHEMA"))
        && nextSignificant(i + 1) < tokens.size()
        && tokens.get(nextSignificant(i + 1)).isSymbol("(")) {
      // NULL when the session has none (the engine's macros read DuckDB's catalog and schema).
      i++;
      skipEmptyCallParens();
      out.add("sf_" + upper.toLowerCase(Locale.ROOT) + "()");
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
    if (fromItem(upper)) {
      return;
    }
    if (upper.equals("AS") && Boolean.TRUE.equals(castParens.peek())) {
      castTarget();
      return;
    }
    emit(upper);
  }

  /**
   * Rewrites a load history view of INFORMATION_SCHEMA, or a VALUES list in FROM as a derived table
   * with Snowflake's column names; true if done.
   */
  private boolean fromItem(String upper) {
    String view = LoadHistoryCalls.informationSchemaView(upper, out);
    if (view != null) {
      out.add(view);
      i++;
      return true;
    }
    String valuesPrefix = upper.equals("VALUES") ? ValuesTable.prefix(out) : null;
    if (valuesPrefix == null) {
      return false;
    }
    ValuesTable.Rewritten values = ValuesTable.rewrite(tokens, i, session);
    out.add(valuesPrefix + values.table());
    if (values.alias() != null) {
      out.add(values.alias());
    }
    i = values.next();
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
      AggregateCalls.Rewritten call =
          AggregateCalls.rewrite(tokens, i, arg -> translate(arg, session));
      out.add(call.sql());
      i = call.next();
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

  /** Functions whose first argument is a date or time part, by the DuckDB function they become. */
  private static final Map<String, String> DATE_PART_FUNCTIONS =
      Map.of(
          "DATEADD", "dateadd",
          "TIMESTAMPADD", "dateadd",
          "DATEDIFF", "date_diff",
          "TIMESTAMPDIFF", "date_diff",
          "TIMEDIFF", "date_diff",
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
    String last = OutputTokens.lastSignificant(out);
    if (!last.equals("LATERAL") && !last.equals("FROM")) {
      out.add("LATERAL ");
    }
    out.add(FlattenCall.toDuckSql(tokens.subList(open + 1, close), session));
    i = close + 1;
  }

  private int matchingClose(int open) {
    return TokenLists.matchingClose(tokens, open);
  }

  private boolean nextIsOpenParen() {
    int j = nextSignificant(i + 1);
    return j < tokens.size() && tokens.get(j).isSymbol("(");
  }

  private static final java.util.Set<String> CLOCK_FUNCTIONS =
      java.util.Set.of(
          "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "SYSDATE");

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
    return TokenLists.nextSignificant(tokens, from);
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
        if (OutputTokens.endsWithPrimary(out)) {
          variantPath();
        } else {
          emit(":");
        }
      }
      default -> emit(token.text());
    }
  }

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
      out.add(type.textCast(takeBase()));
    } else if (type.label().equals("VARIANT")
        && !out.isEmpty()
        && !OutputTokens.lastSignificant(out).equals("?")) {
      // A value cast to VARIANT keeps its type: 'a'::VARIANT is the string "a", not parsed JSON.
      out.add(SnowflakeType.TO_VARIANT + "(" + takeBase() + ")");
    } else if (!type.isSemiStructured()
        && !out.isEmpty()
        && !OutputTokens.lastSignificant(out).equals("?")) {
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
    boolean bind = OutputTokens.lastSignificant(out).equals("?");
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
    String macro = type.castMacro(lenient, bind);
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

  private void openParen() {
    String previous = OutputTokens.lastSignificant(out);
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

  /** Removes the expression the path applies to from the output and returns its text. */
  private String takeBase() {
    int end = out.size() - 1;
    int start = end;
    while (start > 0 && out.get(start).equals("]")) {
      start = Math.max(0, openBracketBefore(start) - 1);
    }
    if (out.get(start).equals(")") && closeToOpen.containsKey(start)) {
      start = closeToOpen.get(start);
      if (start > 0 && OutputTokens.isIdentifierText(out.get(start - 1))) {
        start--;
      }
    }
    while (start >= 2
        && out.get(start - 1).equals(".")
        && OutputTokens.isIdentifierText(out.get(start - 2))) {
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

  private void variantPath() {
    String base = takeBase();
    VariantPath.Parsed path = VariantPath.parse(tokens, i);
    i = path.next();
    int j = nextSignificant(i);
    if (j < tokens.size() && tokens.get(j).isSymbol("::")) {
      i = nextSignificant(j + 1);
      SnowflakeType type = readType();
      out.add(VariantPath.cast(base, path.literal(), type));
    } else {
      out.add(VariantPath.extract(base, path.literal()));
    }
  }
}
