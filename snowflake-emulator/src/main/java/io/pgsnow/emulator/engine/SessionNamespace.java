package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.Token;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement that needs a current database or schema the session does not have: Snowflake answers
 * 090105 / 090106 "Cannot perform SELECT. This session does not have a current schema. …". A
 * session loses them by {@code USE DATABASE} of a database without {@code PUBLIC}, by {@code DROP
 * SCHEMA} / {@code DROP DATABASE} of the one in use, or when another session drops it. DuckDB then
 * reports the unqualified name as missing (002003); that failure, or a qualification that found no
 * namespace, is told as Snowflake tells it.
 */
final class SessionNamespace {

  private static final Set<String> KINDS =
      Set.of(
          SnowflakeSqlException.OBJECT_NOT_FOUND,
          SnowflakeSqlException.NO_CURRENT_DATABASE,
          SnowflakeSqlException.NO_CURRENT_SCHEMA);

  private static final Set<String> CREATE_MODIFIERS =
      Set.of("OR", "REPLACE", "TRANSIENT", "TEMPORARY", "TEMP", "SECURE", "LOCAL", "GLOBAL");

  private final Warehouse warehouse;

  SessionNamespace(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** {@code failure}, or the no-current-namespace error when that is what caused it. */
  SnowflakeSqlException explain(SessionState s, List<Token> tokens, SnowflakeSqlException failure) {
    if (!KINDS.contains(failure.errorCode())
        || (failure.errorCode().equals(SnowflakeSqlException.OBJECT_NOT_FOUND)
            && (missingDatabase(failure.getMessage())
                || !namedUnqualified(tokens, failure.getMessage())))) {
      return failure;
    }
    String db = s.database();
    if (db == null || !warehouse.databaseExists(db)) {
      return SnowflakeSqlException.noCurrent(false, operation(tokens));
    }
    try {
      if (s.schema() == null || !CatalogCommands.schemaExists(s.connection(), db, s.schema())) {
        return SnowflakeSqlException.noCurrent(true, operation(tokens));
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  private static final Pattern MISSING = Pattern.compile("'(.*)' does not exist");

  /**
   * Whether the missing object is a database: a database is named alone, never in the session's
   * namespace, so {@code USE DATABASE NO_SUCH_DB} of a session without a current database is told
   * that the database does not exist (002003), not that the session has none.
   */
  private static boolean missingDatabase(String message) {
    return message != null && message.contains("\nDatabase '");
  }

  /**
   * Whether the object a 002003 says is missing is named in the statement without a qualifier: only
   * such a name needed the session's namespace ({@code DB.S.T} of a dropped database is missing,
   * not a matter of the session).
   */
  private static boolean namedUnqualified(List<Token> tokens, String message) {
    Matcher m = MISSING.matcher(message == null ? "" : message);
    if (!m.find()) {
      return false;
    }
    String missing = ObjectName.parse(m.group(1)).name();
    Token previous = null;
    for (Token t : tokens) {
      if (t.isTrivia()) {
        continue;
      }
      boolean identifier = t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENT;
      if (identifier
          && (previous == null || !previous.isSymbol("."))
          && ObjectName.parse(t.text()).name().equalsIgnoreCase(missing)) {
        return true;
      }
      previous = t;
    }
    return false;
  }

  /**
   * The operation as Snowflake names it in the message: {@code CREATE} with the object kind ({@code
   * CREATE TABLE}, {@code CREATE DYNAMIC TABLE}), {@code SELECT} for a query, else the statement's
   * first keyword ({@code INSERT}, {@code DROP}, {@code DESCRIBE}).
   */
  static String operation(List<Token> tokens) {
    List<Token> words = tokens.stream().filter(t -> !t.isTrivia()).toList();
    if (words.isEmpty() || words.get(0).kind() != Token.Kind.WORD) {
      return "operation";
    }
    String first = words.get(0).upper();
    switch (first) {
      case "SELECT", "WITH" -> {
        return "SELECT";
      }
      case "DESC" -> {
        return "DESCRIBE";
      }
      case "CREATE" -> {
        StringBuilder out = new StringBuilder(first);
        for (Token t : words.subList(1, words.size())) {
          String w = t.upper();
          if (t.kind() != Token.Kind.WORD || w.equals("IF")) {
            break;
          }
          if (!CREATE_MODIFIERS.contains(w)) {
            out.append(' ').append(w);
            if (!w.equals("DYNAMIC") && !w.equals("FILE")) {
              break;
            }
          }
        }
        return out.toString();
      }
      default -> {
        return first;
      }
    }
  }
}
