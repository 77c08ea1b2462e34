package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Snowflake's load history in queries: {@code TABLE([db.]INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME
 * => 't', START_TIME => ts [, END_TIME => ts] [, PIPE_NAME => 'p']))} and the view {@code
 * [db.]INFORMATION_SCHEMA.LOAD_HISTORY}, written as calls of the engine's table macros over the
 * emulator's record of every load.
 */
final class LoadHistoryCalls {

  private LoadHistoryCalls() {}

  /**
   * The DuckDB SQL for the inside of {@code TABLE(...)} when it calls COPY_HISTORY, or null when it
   * calls something else.
   */
  static String copyHistory(List<Token> call, Function<List<Token>, String> translate) {
    List<String> name = new ArrayList<>();
    int open = functionName(call, name);
    int n = name.size();
    if (open < 0 || !isCopyHistory(name)) {
      return null;
    }
    int close = call.size() - 1;
    while (close > open && !call.get(close).isSymbol(")")) {
      close--;
    }
    Arguments args = new Arguments();
    for (List<Token> arg : TokenLists.splitTopLevel(call.subList(open + 1, close))) {
      args.add(arg, translate);
    }
    if (args.table == null || args.start == null) {
      throw SnowflakeSqlException.syntax("COPY_HISTORY needs TABLE_NAME and START_TIME");
    }
    ObjectName table = args.table;
    String database = table.database() != null ? table.database() : n == 3 ? name.get(0) : null;
    return "sf_copy_history("
        + literal(database)
        + ", "
        + literal(table.schema())
        + ", "
        + literal(table.name())
        + ", "
        + args.start
        + ", "
        + args.end
        + ", "
        + args.pipeSql()
        + ")";
  }

  /** Whether a dotted name is {@code [db.]INFORMATION_SCHEMA.COPY_HISTORY}. */
  private static boolean isCopyHistory(List<String> name) {
    int n = name.size();
    return (n == 2 || n == 3)
        && name.get(n - 1).equals("COPY_HISTORY")
        && name.get(n - 2).equals("INFORMATION_SCHEMA");
  }

  /**
   * Reads the dotted name a call starts with into {@code parts}; the index of its {@code (}, or -1
   * when none follows.
   */
  private static int functionName(List<Token> call, List<String> parts) {
    int j = TokenLists.nextSignificant(call, 0);
    while (j < call.size()
        && (call.get(j).kind() == Kind.WORD || call.get(j).kind() == Kind.QUOTED_IDENT)) {
      parts.add(ObjectName.normalizePart(call.get(j).text()));
      j = TokenLists.nextSignificant(call, j + 1);
      if (j >= call.size() || !call.get(j).isSymbol(".")) {
        break;
      }
      j = TokenLists.nextSignificant(call, j + 1);
    }
    return j < call.size() && call.get(j).isSymbol("(") ? j : -1;
  }

  /** COPY_HISTORY's named arguments, read one by one. */
  private static final class Arguments {
    ObjectName table;
    ObjectName pipe;
    String start;
    String end = "NULL";

    /** The pipe's database, schema and name as three arguments, each NULL when not given. */
    String pipeSql() {
      if (pipe == null) {
        return "NULL, NULL, NULL";
      }
      return literal(pipe.database()) + ", " + literal(pipe.schema()) + ", " + literal(pipe.name());
    }

    void add(List<Token> arg, Function<List<Token>, String> translate) {
      int key = TokenLists.nextSignificant(arg, 0);
      int arrow = TokenLists.nextSignificant(arg, key + 1);
      if (arrow >= arg.size() || !arg.get(arrow).isSymbol("=>")) {
        throw SnowflakeSqlException.syntax("COPY_HISTORY takes named arguments (NAME => value)");
      }
      List<Token> value = arg.subList(arrow + 1, arg.size());
      switch (arg.get(key).upper()) {
        case "TABLE_NAME" -> table = objectName(value, "TABLE_NAME");
        case "START_TIME" -> start = translate.apply(value);
        case "END_TIME" -> end = translate.apply(value);
        case "PIPE_NAME" -> pipe = objectName(value, "PIPE_NAME");
        default ->
            throw SnowflakeSqlException.syntax(
                "invalid argument " + arg.get(key).upper() + " of COPY_HISTORY");
      }
    }
  }

  /**
   * The DuckDB SQL of the INFORMATION_SCHEMA view {@code upper} when {@code out}, the SQL written
   * so far, ends with its qualifier, which is taken back: LOAD_HISTORY becomes the engine's table
   * macro over the loads into {@code database} (null: the current one). Null for any other word.
   */
  static String informationSchemaView(String upper, List<String> out) {
    if (!OutputTokens.endsWithWords(out, ".", "INFORMATION_SCHEMA")) {
      return null;
    }
    if (upper.equals("COPY_HISTORY")) {
      throw Unsupported.feature("INFORMATION_SCHEMA.COPY_HISTORY outside TABLE(...)");
    }
    if (!upper.equals("LOAD_HISTORY")) {
      return null;
    }
    String database = OutputTokens.takeSchemaQualifier(out);
    return "sf_load_history(" + literal(database) + ")";
  }

  private static ObjectName objectName(List<Token> value, String argument) {
    List<Token> s = TokenLists.significant(value);
    if (s.size() != 1 || s.get(0).kind() != Kind.STRING) {
      throw Unsupported.feature("COPY_HISTORY with a computed " + argument);
    }
    return ObjectName.parse(s.get(0).stringValue());
  }

  private static String literal(String value) {
    return value == null ? "NULL" : Token.duckLiteral(value);
  }
}
