package io.pgsnow.emulator.sql;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Snowflake's aggregates of semi-structured values and strings, as aggregate or window functions:
 * {@code ARRAY_AGG([DISTINCT] x) [WITHIN GROUP (ORDER BY ...)] [OVER (...)]}, {@code OBJECT_AGG(k,
 * v)} and {@code LISTAGG([DISTINCT] x [, delimiter]) [WITHIN GROUP (ORDER BY ...)]}. Each skips SQL
 * NULL inputs and answers an empty ARRAY, OBJECT or string for no input, as Snowflake documents
 * (https://docs.snowflake.com/en/sql-reference/functions/array_agg and the pages of the others);
 * DuckDB's aggregates of the same names answer lists and NULL.
 */
final class AggregateCalls {

  static final Set<String> NAMES =
      Set.of("ARRAY_AGG", "ARRAYAGG", "OBJECT_AGG", "OBJECTAGG", "LISTAGG");

  /** A call's DuckDB SQL, and the index of the first token after it. */
  record Rewritten(String sql, int next) {}

  private AggregateCalls() {}

  /**
   * The call whose name is at {@code at}, with its optional {@code WITHIN GROUP (ORDER BY ...)} and
   * {@code OVER (...)}, all consumed.
   */
  static Rewritten rewrite(List<Token> tokens, int at, Function<List<Token>, String> translate) {
    String name = tokens.get(at).upper();
    int open = TokenLists.nextSignificant(tokens, at + 1);
    int close = TokenLists.matchingClose(tokens, open);
    List<List<Token>> args = TokenLists.splitTopLevel(tokens.subList(open + 1, close));
    int end = close + 1;
    String orderBy = "";
    int within = TokenLists.nextSignificant(tokens, end);
    if (within < tokens.size() && tokens.get(within).isWord("WITHIN")) {
      int group = TokenLists.nextSignificant(tokens, within + 1);
      int paren = TokenLists.nextSignificant(tokens, group + 1);
      if (paren >= tokens.size()
          || !tokens.get(group).isWord("GROUP")
          || !tokens.get(paren).isSymbol("(")) {
        throw SnowflakeSqlException.syntax("WITHIN GROUP needs (ORDER BY ...)");
      }
      int parenClose = TokenLists.matchingClose(tokens, paren);
      orderBy = translate.apply(tokens.subList(paren + 1, parenClose));
      end = parenClose + 1;
    }
    String over = "";
    int window = TokenLists.nextSignificant(tokens, end);
    if (window < tokens.size() && tokens.get(window).isWord("OVER")) {
      int paren = TokenLists.nextSignificant(tokens, window + 1);
      if (paren >= tokens.size() || !tokens.get(paren).isSymbol("(")) {
        throw Unsupported.feature(name + " OVER a named window");
      }
      int parenClose = TokenLists.matchingClose(tokens, paren);
      over = "OVER " + translate.apply(tokens.subList(paren, parenClose + 1));
      end = parenClose + 1;
    }
    return new Rewritten(rewrite(name, args, orderBy, over, translate), end);
  }

  /**
   * The DuckDB SQL of a call: {@code args} as written, {@code orderBy} the translated ORDER BY of
   * WITHIN GROUP (or empty), {@code over} the translated OVER clause (or empty).
   */
  private static String rewrite(
      String name,
      List<List<Token>> args,
      String orderBy,
      String over,
      Function<List<Token>, String> translate) {
    List<Token> first = TokenLists.significant(args.get(0));
    boolean distinct = !first.isEmpty() && first.get(0).isWord("DISTINCT");
    List<Token> value = distinct ? withoutFirstWord(args.get(0)) : args.get(0);
    String x = translate.apply(value);
    String modifier = distinct ? "DISTINCT " : "";
    String order = orderBy.isEmpty() ? "" : " " + orderBy;
    String window = over.isEmpty() ? "" : " " + over;
    return switch (name) {
      case "ARRAY_AGG", "ARRAYAGG" -> {
        arity(name, args, 1, 1);
        yield FunctionCalls.ARRAY
            + "(coalesce(to_json("
            + nonNullList(modifier + x + order, x, window)
            + "), CAST('[]' AS JSON)))";
      }
      case "OBJECT_AGG", "OBJECTAGG" -> {
        arity(name, args, 2, 2);
        if (!orderBy.isEmpty()) {
          throw SnowflakeSqlException.syntax(name + " takes no WITHIN GROUP");
        }
        String v = translate.apply(args.get(1));
        yield FunctionCalls.OBJECT
            + "(coalesce(to_json(map_from_entries(list_sort(list("
            + modifier
            + "{'k': CAST("
            + x
            + " AS VARCHAR), 'v': to_json("
            + v
            + ")}) FILTER (WHERE ("
            + x
            + ") IS NOT NULL AND ("
            + v
            + ") IS NOT NULL)"
            + window
            + "))), CAST('{}' AS JSON)))";
      }
      default -> {
        arity(name, args, 1, 2);
        String delimiter = args.size() > 1 ? translate.apply(args.get(1)) : "''";
        // Joined from a list so that DISTINCT and WITHIN GROUP apply to the values themselves;
        // each becomes text as a cast to VARCHAR makes it (a VARIANT string without quotes).
        yield "coalesce(array_to_string(list_transform("
            + nonNullList(modifier + x + order, x, window)
            + ", lambda sf_value: "
            + SnowflakeType.CAST_TO_TEXT
            + "(sf_value)), "
            + delimiter
            + "), '')";
      }
    };
  }

  /** DuckDB's list aggregate of {@code items} over the rows where {@code value} is not NULL. */
  private static String nonNullList(String items, String value, String window) {
    return "list(" + items + ") FILTER (WHERE (" + value + ") IS NOT NULL)" + window;
  }

  private static void arity(String name, List<List<Token>> args, int min, int max) {
    if (args.size() < min || args.size() > max || TokenLists.significant(args.get(0)).isEmpty()) {
      throw SnowflakeSqlException.syntax("wrong number of arguments for function [" + name + "]");
    }
  }

  private static List<Token> withoutFirstWord(List<Token> tokens) {
    int first = TokenLists.nextSignificant(tokens, 0);
    return tokens.subList(first + 1, tokens.size());
  }
}
