package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Snowflake function calls whose DuckDB form depends on their arguments: numeric conversions with a
 * precision and scale, TO_CHAR with a format, OBJECT_CONSTRUCT (NULL values dropped), GET_PATH, and
 * the functions both engines name alike but answer differently, which are refused rather than
 * passed to DuckDB.
 */
public final class FunctionCalls {

  /**
   * Snowflake functions that DuckDB also has, under the same name, with other results (HASH is not
   * Snowflake's proprietary hash, SPLIT returns a DuckDB list, ...), Snowflake table functions the
   * emulator lacks, and the VARIANT predicates on types that a VARIANT here does not keep (it is
   * stored as JSON, so a date in it is a string). Each fails as unsupported.
   */
  static final Set<String> REFUSED =
      Set.of(
          "HASH",
          "HASH_AGG",
          "SPLIT",
          "ARRAY_SLICE",
          "ARRAY_APPEND",
          "ARRAY_CAT",
          "ARRAY_DISTINCT",
          "ARRAY_POSITION",
          "ARRAY_SORT",
          "ARRAY_TO_STRING",
          "GENERATOR",
          "SEQ1",
          "SEQ2",
          "SEQ4",
          "SEQ8",
          "RESULT_SCAN",
          "DECODE",
          "DAYNAME",
          "MONTHNAME",
          "IS_BINARY",
          "IS_DATE",
          "IS_DATE_VALUE",
          "IS_TIME",
          "IS_TIMESTAMP_LTZ",
          "IS_TIMESTAMP_NTZ",
          "IS_TIMESTAMP_TZ");

  /** Time travel and change tracking after a table name ({@code t AT(OFFSET => -60)}). */
  private static final Set<String> TIME_TRAVEL = Set.of("AT", "BEFORE", "CHANGES");

  private static final Pattern TIME_TRAVEL_ARGUMENT =
      Pattern.compile(
          "(TIMESTAMP|OFFSET|STATEMENT|STREAM|INFORMATION)\\s*=>", Pattern.CASE_INSENSITIVE);

  /** Names {@link #rewrite} looks at. */
  static boolean handles(String name) {
    return REFUSED.contains(name)
        || TIME_TRAVEL.contains(name)
        || NUMBER_CONVERSIONS.containsKey(name)
        || Set.of(
                "SYSTEM$PIPE_STATUS",
                "TO_CHAR",
                "TO_VARCHAR",
                "OBJECT_CONSTRUCT",
                "OBJECT_CONSTRUCT_KEEP_NULL",
                "TO_BINARY",
                "TRY_TO_BINARY",
                "GET_PATH")
            .contains(name);
  }

  /** Numeric conversions: name to whether it answers NULL (TRY_) rather than failing. */
  private static final Map<String, Boolean> NUMBER_CONVERSIONS =
      Map.of(
          "TO_NUMBER",
          false,
          "TO_DECIMAL",
          false,
          "TO_NUMERIC",
          false,
          "TRY_TO_NUMBER",
          true,
          "TRY_TO_DECIMAL",
          true,
          "TRY_TO_NUMERIC",
          true);

  /**
   * The engine macro (the identity) around an OBJECT_CONSTRUCT, so the result column answers as
   * OBJECT (see the engine's result hints).
   */
  public static final String OBJECT = "sf_object";

  /** The engine macro (the identity) around an ARRAY_AGG, so the result column answers as ARRAY. */
  public static final String ARRAY = "sf_array";

  /** The placeholder call of SYSTEM$PIPE_STATUS in translated SQL. */
  public static final String PIPE_STATUS = "sf_pipe_status";

  private FunctionCalls() {}

  /**
   * The DuckDB SQL for a call of {@code name} with these arguments, or null when the call passes
   * through as written. {@code translate} turns one argument into DuckDB SQL.
   */
  static String rewrite(
      String name, List<List<Token>> args, Function<List<Token>, String> translate) {
    if (REFUSED.contains(name)) {
      throw Unsupported.feature("function " + name);
    }
    if (TIME_TRAVEL.contains(name)) {
      // a table of that name followed by a column list (INSERT INTO changes (a, b)) passes through
      String first =
          args.isEmpty() || args.get(0).isEmpty()
              ? ""
              : TokenLists.textFrom(args.get(0), args.get(0).get(0));
      if (!TIME_TRAVEL_ARGUMENT.matcher(first).lookingAt()) {
        return null;
      }
      throw Unsupported.feature("time travel " + name + "(…)");
    }
    Boolean lenient = NUMBER_CONVERSIONS.get(name);
    if (lenient != null) {
      return numberConversion(name, lenient, args, translate);
    }
    return switch (name) {
      case "TO_CHAR", "TO_VARCHAR" -> args.size() == 2 ? formatted(name, args, translate) : null;
      case "OBJECT_CONSTRUCT", "OBJECT_CONSTRUCT_KEEP_NULL" ->
          objectConstruct(name, args, translate);
      case "SYSTEM$PIPE_STATUS" -> pipeStatus(args);
      case "GET_PATH" -> getPath(args, translate);
      case "TO_BINARY", "TRY_TO_BINARY" -> {
        if (args.size() > 1) {
          throw Unsupported.feature(name + " with a format");
        }
        yield null;
      }
      default -> null;
    };
  }

  /**
   * SYSTEM$PIPE_STATUS('pipe'): a call of {@link #PIPE_STATUS}, which the engine replaces by the
   * pipe's status (it knows the queue) before DuckDB runs the query.
   */
  private static String pipeStatus(List<List<Token>> args) {
    List<Token> name = TokenLists.significant(args.get(0));
    if (args.size() != 1 || name.size() != 1 || name.get(0).kind() != Kind.STRING) {
      throw Unsupported.feature("SYSTEM$PIPE_STATUS with a computed pipe name");
    }
    return PIPE_STATUS + "(" + Token.duckLiteral(name.get(0).stringValue()) + ")";
  }

  /** GET_PATH(value, 'path'): the {@code value:path} of a constant path. */
  private static String getPath(List<List<Token>> args, Function<List<Token>, String> translate) {
    List<Token> path = args.size() == 2 ? TokenLists.significant(args.get(1)) : List.of();
    if (path.size() != 1 || path.get(0).kind() != Kind.STRING) {
      throw Unsupported.feature("GET_PATH with a computed path");
    }
    return "json_extract(CAST("
        + translate.apply(args.get(0))
        + " AS JSON), "
        + Token.duckLiteral(VariantPath.jsonPath(path.get(0).stringValue()))
        + ")";
  }

  /** TO_NUMBER(expr [, precision [, scale]]): a cast to NUMBER(p, s); format models are refused. */
  private static String numberConversion(
      String name,
      boolean lenient,
      List<List<Token>> args,
      Function<List<Token>, String> translate) {
    int precision = 38;
    int scale = 0;
    if (args.size() > 3) {
      throw SnowflakeSqlException.syntax("too many arguments for function [" + name + "]");
    }
    if (args.size() > 1) {
      precision = integer(name, args.get(1));
    }
    if (args.size() > 2) {
      scale = integer(name, args.get(2));
    }
    return SnowflakeType.scalarCast(
        translate.apply(args.get(0)), "DECIMAL(" + precision + "," + scale + ")", lenient);
  }

  private static int integer(String name, List<Token> arg) {
    List<Token> s = TokenLists.significant(arg);
    if (s.size() == 1 && s.get(0).kind() == Kind.NUMBER) {
      return Integer.parseInt(s.get(0).text());
    }
    throw Unsupported.feature(name + " with a format model");
  }

  /** TO_CHAR(date or time, 'format'): DuckDB's strftime with the format translated. */
  private static String formatted(
      String name, List<List<Token>> args, Function<List<Token>, String> translate) {
    List<Token> format = TokenLists.significant(args.get(1));
    if (format.size() != 1 || format.get(0).kind() != Kind.STRING) {
      throw Unsupported.feature(name + " with a computed format");
    }
    return "sf_to_char("
        + translate.apply(args.get(0))
        + ", "
        + Token.duckLiteral(DateTimeFormat.toStrftime(format.get(0).stringValue()))
        + ")";
  }

  /**
   * OBJECT_CONSTRUCT drops pairs whose value is SQL NULL (a JSON null stays) and orders keys as
   * Snowflake stores them; OBJECT_CONSTRUCT_KEEP_NULL keeps them as JSON null.
   */
  private static String objectConstruct(
      String name, List<List<Token>> args, Function<List<Token>, String> translate) {
    if (args.size() == 1
        && TokenLists.significant(args.get(0)).size() == 1
        && TokenLists.significant(args.get(0)).get(0).isSymbol("*")) {
      // The row's columns by name; DuckDB's COLUMNS(*) expands to those of the FROM clause.
      String row = "to_json(struct_pack(*COLUMNS(*)))";
      return OBJECT
          + "("
          + (name.equals("OBJECT_CONSTRUCT_KEEP_NULL") ? row : "sf_drop_null_fields(" + row + ")")
          + ")";
    }
    if (args.size() == 1 && TokenLists.significant(args.get(0)).isEmpty()) {
      return OBJECT + "(CAST('{}' AS JSON))";
    }
    if (args.size() % 2 != 0) {
      throw SnowflakeSqlException.syntax(name + " needs key-value pairs");
    }
    boolean keepNull = name.equals("OBJECT_CONSTRUCT_KEEP_NULL");
    StringBuilder pairs = new StringBuilder();
    for (int i = 0; i < args.size(); i += 2) {
      String value = "to_json(" + translate.apply(args.get(i + 1)) + ")";
      pairs
          .append(i == 0 ? "" : ", ")
          .append("{'k': CAST(")
          .append(translate.apply(args.get(i)))
          .append(" AS VARCHAR), 'v': ")
          .append(keepNull ? "coalesce(" + value + ", CAST('null' AS JSON))" : value)
          .append('}');
    }
    return OBJECT
        + "(coalesce(to_json(map_from_entries(list_sort(list_filter(["
        + pairs
        + "], lambda e: e.v IS NOT NULL AND e.k IS NOT NULL)))), CAST('{}' AS JSON)))";
  }
}
