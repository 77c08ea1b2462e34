package io.pgsnow.emulator.sql;

import java.util.List;
import java.util.Locale;

/**
 * Snowflake's {@code FLATTEN} table function as a DuckDB lateral subquery over {@code json_each}:
 * one row per array element or object field of the input, with Snowflake's output columns SEQ, KEY,
 * PATH, INDEX, VALUE and THIS. Arguments: {@code INPUT => expr} (or the first positional argument),
 * {@code PATH => 'a.b'}, {@code OUTER => TRUE} (one row of NULLs for an empty or missing input).
 * RECURSIVE and MODE are not supported and fail clearly.
 */
final class FlattenCall {

  private FlattenCall() {}

  private record Arguments(String input, String path, boolean outer) {}

  /** The subquery for the argument tokens between FLATTEN's parentheses. */
  static String toDuckSql(List<Token> args, SessionValues session) {
    Arguments a = arguments(args, session);
    String path = a.path();
    String x =
        path.isEmpty()
            ? a.input()
            : "json_extract(" + a.input() + ", " + Token.duckLiteral(jsonPath(path)) + ")";
    String prefix = Token.duckLiteral(path);
    String dot = Token.duckLiteral(path.isEmpty() ? "" : path + ".");
    String isArray = "json_type(" + x + ") = 'ARRAY'";
    String elements = "json_each(" + x + ") AS emulator_flatten(flatten_key, flatten_value)";
    return "(SELECT CAST(1 AS BIGINT) AS \"SEQ\", CASE WHEN json_type("
        + x
        + ") = 'OBJECT' THEN flatten_key END AS \"KEY\", CASE WHEN "
        + isArray
        + " THEN "
        + prefix
        + " || '[' || flatten_key || ']' ELSE "
        + dot
        + " || flatten_key END AS \"PATH\", CASE WHEN "
        + isArray
        + " THEN CAST(flatten_key AS BIGINT) END AS \"INDEX\", flatten_value AS \"VALUE\", "
        + x
        + " AS \"THIS\" FROM "
        + (a.outer() ? "(SELECT 1) AS emulator_outer LEFT JOIN " + elements + " ON TRUE" : elements)
        + ")";
  }

  private static Arguments arguments(List<Token> args, SessionValues session) {
    String input = null;
    String path = "";
    boolean outer = false;
    for (List<Token> arg : TokenLists.splitTopLevel(args)) {
      List<Token> significant = arg.stream().filter(t -> !t.isTrivia()).toList();
      if (significant.isEmpty()) {
        continue;
      }
      boolean named = significant.size() > 2 && significant.get(1).isSymbol("=>");
      String name = named ? significant.get(0).upper() : "INPUT";
      List<Token> value = named ? significant.subList(2, significant.size()) : significant;
      switch (name) {
        case "INPUT" -> input = ExpressionTranslator.translate(value, session);
        case "PATH" -> path = value.get(0).stringValue();
        case "OUTER" -> outer = value.get(0).isWord("TRUE");
        case "RECURSIVE", "MODE" -> throw Unsupported.feature("FLATTEN argument " + name);
        default -> throw SnowflakeSqlException.syntax("FLATTEN has no argument " + name);
      }
    }
    if (input == null) {
      throw SnowflakeSqlException.syntax("FLATTEN needs an INPUT argument");
    }
    return new Arguments(input, path, outer);
  }

  /** {@code a.b[0]} as a DuckDB JSON path {@code $."a"."b"[0]}. */
  private static String jsonPath(String path) {
    StringBuilder out = new StringBuilder("$");
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      String key = bracket < 0 ? part : part.substring(0, bracket);
      if (!key.isEmpty()) {
        out.append(".\"").append(key.replace("\"", "\\\"")).append('"');
      }
      if (bracket >= 0) {
        out.append(part.substring(bracket).toUpperCase(Locale.ROOT));
      }
    }
    return out.toString();
  }
}
