package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Statement.Accepted;
import io.pgsnow.emulator.sql.Statement.AddColumns;
import io.pgsnow.emulator.sql.Statement.ColumnDef;
import io.pgsnow.emulator.sql.Statement.CreateDynamicTable;
import io.pgsnow.emulator.sql.Statement.CreateStage;
import io.pgsnow.emulator.sql.Statement.CreateTable;
import io.pgsnow.emulator.sql.Statement.CreateView;
import io.pgsnow.emulator.sql.Statement.DatabaseObjectDdl;
import io.pgsnow.emulator.sql.Statement.Describe;
import io.pgsnow.emulator.sql.Statement.DropObject;
import io.pgsnow.emulator.sql.Statement.RefreshDynamicTable;
import io.pgsnow.emulator.sql.Statement.Show;
import io.pgsnow.emulator.sql.Statement.Sql;
import io.pgsnow.emulator.sql.Statement.SqlKind;
import io.pgsnow.emulator.sql.Statement.Use;
import io.pgsnow.emulator.sql.Statement.UserDdl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Turns Snowflake SQL into a {@link Statement}. Pure: no I/O, no DuckDB. */
public final class StatementParser {

  private static final SessionValues NO_SESSION = new SessionValues("", "", "", "");

  private final TokenCursor cursor;
  private final List<Token> tokens;
  private final String sql;
  private final SessionValues session;

  private StatementParser(String sql, List<Token> tokens, SessionValues session) {
    this.sql = sql;
    this.tokens = tokens;
    this.cursor = new TokenCursor(tokens);
    this.session = session;
  }

  /** Parses a statement whose {@code IDENTIFIER(...)} calls are already resolved. */
  public static Statement parse(String sql, List<Token> tokens, SessionValues session) {
    return new StatementParser(sql, tokens, session).statement();
  }

  public static Statement parse(String sql, SessionValues session) {
    return parse(sql, SqlLexer.tokenize(sql), session);
  }

  private Statement statement() {
    String first = cursor.peek().upper();
    return switch (first) {
      case "CREATE" -> create();
      case "DROP" -> drop();
      case "USE" -> use();
      case "ALTER" -> alter();
      case "SHOW" -> show();
      case "DESC", "DESCRIBE" -> describe();
      case "LIST", "LS", "REMOVE", "RM", "PUT", "GET", "COPY" ->
          FileCommandParser.parse(sql, tokens);
      case "GRANT" -> AccessStatements.grant(cursor);
      case "REVOKE" -> throw Unsupported.feature("REVOKE");
      case "BEGIN", "COMMIT", "ROLLBACK", "START" ->
          new Accepted("Statement executed successfully.");
      case "SELECT", "WITH", "VALUES", "(" -> passthrough(SqlKind.QUERY);
      case "INSERT" -> passthrough(SqlKind.INSERT);
      case "UPDATE" -> passthrough(SqlKind.UPDATE);
      case "DELETE" -> passthrough(SqlKind.DELETE);
      case "MERGE" -> passthrough(SqlKind.MERGE);
      case "TRUNCATE" -> truncate();
      default -> {
        if (Unsupported.KNOWN_STATEMENTS.contains(first)) {
          throw Unsupported.feature(first + " statement");
        }
        throw SnowflakeSqlException.syntax(
            "syntax error line 1 at position 0 unexpected '" + cursor.peek().text() + "'.");
      }
    };
  }

  private Sql passthrough(SqlKind kind) {
    List<Token> rest =
        kind == SqlKind.MERGE ? MergeStatement.withBareSetTargets(cursor.rest()) : cursor.rest();
    return new Sql(
        ExpressionTranslator.translate(rest, session),
        kind,
        kind == SqlKind.QUERY ? SelectLabels.of(rest) : null);
  }

  private Statement create() {
    cursor.expectWord("CREATE");
    boolean orReplace = cursor.acceptWords("OR", "REPLACE");
    // Without Fail-safe, time travel or access control here, TRANSIENT and SECURE change nothing.
    cursor.acceptWord("TRANSIENT");
    cursor.acceptWord("SECURE");
    String kind = cursor.next().upper();
    return switch (kind) {
      case "DATABASE", "SCHEMA" -> {
        ObjectName name = nameAfterIf("NOT", "EXISTS");
        ignoredOptionsOnly("CREATE " + kind, DATABASE_OPTIONS);
        yield new DatabaseObjectDdl(kind, true, name, orReplace, lastIf);
      }
      case "TABLE" -> createTable(orReplace);
      case "VIEW" -> createView(orReplace);
      case "DYNAMIC" -> createDynamicTable(orReplace);
      case "STAGE" -> {
        ObjectName name = nameAfterIf("NOT", "EXISTS");
        ignoredOptionsOnly("CREATE STAGE", Set.of("COMMENT"));
        yield new CreateStage(name, orReplace, lastIf);
      }
      case "PIPE" -> FileCommandParser.createPipe(sql, tokens, orReplace);
      case "USER" -> userDdl(cursor.objectName());
      case "ROLE" -> {
        if (orReplace) {
          throw Unsupported.feature("CREATE OR REPLACE ROLE");
        }
        String role = nameAfterIf("NOT", "EXISTS").name();
        if (!cursor.atEnd() && !cursor.peek().isSymbol(";")) {
          throw Unsupported.feature("CREATE ROLE " + cursor.peek().upper());
        }
        yield new Statement.CreateRole(role, lastIf);
      }
      case "WAREHOUSE" -> new Accepted("Warehouse successfully created.");
      default -> throw Unsupported.feature("CREATE " + kind);
    };
  }

  private boolean lastIf;

  /**
   * The options of CREATE DATABASE / SCHEMA that change nothing here (README: accepted and
   * ignored).
   */
  private static final Set<String> DATABASE_OPTIONS =
      Set.of("COMMENT", "DATA_RETENTION_TIME_IN_DAYS", "MAX_DATA_EXTENSION_TIME_IN_DAYS");

  /**
   * Reads {@code KEY = value} options up to {@code AS} or the end: those in {@code ignored} are
   * accepted and ignored (the README lists them), any other fails as unsupported.
   */
  private void ignoredOptionsOnly(String statement, Set<String> ignored) {
    while (!cursor.atEnd() && !cursor.peek().isWord("AS")) {
      Token option = cursor.next();
      if (option.isSymbol(";")) {
        continue;
      }
      if (option.isSymbol("(")) {
        throw Unsupported.feature(statement + " column list");
      }
      if (!ignored.contains(option.upper())) {
        throw Unsupported.feature(statement + " " + option.upper());
      }
      if (option.isWord("COPY")) {
        cursor.expectWord("GRANTS");
      } else {
        cursor.expectSymbol("=");
        cursor.stringOrWord();
      }
    }
  }

  private ObjectName nameAfterIf(String... words) {
    lastIf = cursor.acceptWord("IF") && acceptAll(words);
    return cursor.objectName();
  }

  private boolean acceptAll(String... words) {
    for (String w : words) {
      cursor.expectWord(w);
    }
    return true;
  }

  private Statement createTable(boolean orReplace) {
    ObjectName name = nameAfterIf("NOT", "EXISTS");
    boolean ifNotExists = lastIf;
    if (cursor.acceptWord("AS")) {
      return new CreateTable(
          name,
          orReplace,
          ifNotExists,
          List.of(),
          Optional.of(ExpressionTranslator.translate(cursor.rest(), session)));
    }
    List<ColumnDef> columns = columnList();
    skipTableOptions();
    Optional<String> asSelect = Optional.empty();
    if (cursor.acceptWord("AS")) {
      asSelect = Optional.of(ExpressionTranslator.translate(cursor.rest(), session));
    }
    return new CreateTable(name, orReplace, ifNotExists, columns, asSelect);
  }

  private void skipTableOptions() {
    while (!cursor.atEnd() && !cursor.peek().isWord("AS")) {
      cursor.next();
    }
  }

  private List<ColumnDef> columnList() {
    cursor.expectSymbol("(");
    List<ColumnDef> columns = new ArrayList<>();
    do {
      columns.add(columnDef(true));
    } while (cursor.acceptSymbol(","));
    cursor.expectSymbol(")");
    return columns;
  }

  /** Reads {@code name TYPE [constraints]} up to the next top-level comma or paren. */
  private ColumnDef columnDef(boolean stopAtParen) {
    Token nameToken = cursor.next();
    String name = ObjectName.normalizePart(nameToken.text());
    SnowflakeType type = cursor.type();
    StringBuilder constraints = new StringBuilder();
    int depth = 0;
    while (!cursor.atEnd()) {
      Token t = cursor.peek();
      if (depth == 0 && (t.isSymbol(",") || (stopAtParen && t.isSymbol(")")))) {
        break;
      }
      depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
      constraints.append(' ').append(cursor.next().text());
    }
    return new ColumnDef(name, type, constraintsForDuck(constraints.toString().trim()));
  }

  /** Keeps the constraints DuckDB understands the same way; drops COLLATE, COMMENT and the like. */
  private static String constraintsForDuck(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    if (upper.contains("NOT NULL")) {
      out.append(" NOT NULL");
    }
    if (upper.contains("PRIMARY KEY")) {
      out.append(" PRIMARY KEY");
    }
    int def = upper.indexOf("DEFAULT ");
    if (def >= 0) {
      String rest = text.substring(def + 8).trim();
      String value = rest.split("\\s+")[0];
      out.append(" DEFAULT ").append(ExpressionTranslator.translate(value, NO_SESSION));
    }
    return out.toString().trim();
  }

  private Statement createView(boolean orReplace) {
    ObjectName name = nameAfterIf("NOT", "EXISTS");
    ignoredOptionsOnly("CREATE VIEW", Set.of("COMMENT", "COPY"));
    cursor.expectWord("AS");
    return new CreateView(name, orReplace, ExpressionTranslator.translate(cursor.rest(), session));
  }

  /**
   * CREATE DYNAMIC TABLE with the two options Snowflake requires, TARGET_LAG and WAREHOUSE, and no
   * other: the optional ones (REFRESH_MODE, INITIALIZE, CLUSTER BY, COMMENT, a column list, …) fail
   * as unsupported rather than being ignored.
   */
  private Statement createDynamicTable(boolean orReplace) {
    cursor.expectWord("TABLE");
    ObjectName name = nameAfterIf("NOT", "EXISTS");
    boolean ifNotExists = lastIf;
    String targetLag = null;
    ObjectName warehouse = null;
    while (!cursor.atEnd() && !cursor.peek().isWord("AS")) {
      Token option = cursor.next();
      if (option.isWord("TARGET_LAG")) {
        cursor.expectSymbol("=");
        targetLag = TargetLag.parse(cursor.next());
      } else if (option.isWord("WAREHOUSE")) {
        cursor.expectSymbol("=");
        warehouse = cursor.objectName();
      } else if (option.isSymbol("(")) {
        throw Unsupported.feature("CREATE DYNAMIC TABLE with a column list");
      } else {
        throw Unsupported.feature("CREATE DYNAMIC TABLE option " + option.text());
      }
    }
    List<String> missing = new ArrayList<>();
    if (targetLag == null) {
      missing.add("TARGET_LAG");
    }
    if (warehouse == null) {
      missing.add("WAREHOUSE");
    }
    if (!missing.isEmpty()) {
      throw SnowflakeSqlException.syntax("Missing option(s): " + missing + ".");
    }
    cursor.expectWord("AS");
    return new CreateDynamicTable(
        name,
        orReplace,
        ifNotExists,
        targetLag,
        warehouse,
        ExpressionTranslator.translate(cursor.rest(), session));
  }

  private Statement truncate() {
    cursor.expectWord("TRUNCATE");
    cursor.acceptWord("TABLE");
    ObjectName table = nameAfterIf("EXISTS");
    return new Statement.Truncate(table, lastIf);
  }

  private Statement drop() {
    cursor.expectWord("DROP");
    String kind = cursor.next().upper();
    if (kind.equals("DYNAMIC")) {
      cursor.expectWord("TABLE");
      kind = "DYNAMIC TABLE";
    }
    ObjectName name = nameAfterIf("EXISTS");
    if (cursor.acceptWord("RESTRICT")) {
      throw Unsupported.feature("DROP " + kind + " RESTRICT");
    }
    // Snowflake's default: the contents go with a dropped database or schema
    cursor.acceptWord("CASCADE");
    return switch (kind) {
      case "DATABASE", "SCHEMA" -> new DatabaseObjectDdl(kind, false, name, false, lastIf);
      case "TABLE", "VIEW", "STAGE", "PIPE", "DYNAMIC TABLE" -> new DropObject(kind, name, lastIf);
      case "WAREHOUSE" -> new Accepted("Statement executed successfully.");
      default -> throw Unsupported.feature("DROP " + kind);
    };
  }

  private Statement use() {
    cursor.expectWord("USE");
    String kind = "DATABASE";
    String next = cursor.peek().upper();
    if (List.of("DATABASE", "SCHEMA", "WAREHOUSE", "ROLE").contains(next)) {
      kind = next;
      cursor.next();
    } else if (next.equals("SECONDARY")) {
      throw Unsupported.feature("USE SECONDARY ROLES");
    }
    return new Use(kind, cursor.objectName());
  }

  private Statement alter() {
    cursor.expectWord("ALTER");
    String kind = cursor.next().upper();
    return switch (kind) {
      case "TABLE" -> alterTable();
      case "USER" -> alterUser();
      case "DYNAMIC" -> alterDynamicTable();
      case "SESSION", "WAREHOUSE" -> new Accepted("Statement executed successfully.");
      default -> throw Unsupported.feature("ALTER " + kind);
    };
  }

  private Statement alterTable() {
    ObjectName table = nameAfterIf("EXISTS");
    if (!cursor.acceptWord("ADD")) {
      throw Unsupported.feature("ALTER TABLE without ADD COLUMN");
    }
    cursor.acceptWord("COLUMN");
    boolean ifNotExists = cursor.acceptWords("IF", "NOT", "EXISTS");
    List<ColumnDef> columns = new ArrayList<>();
    do {
      columns.add(columnDef(false));
    } while (cursor.acceptSymbol(","));
    return new AddColumns(table, ifNotExists, columns);
  }

  private Statement alterDynamicTable() {
    cursor.expectWord("TABLE");
    ObjectName name = cursor.objectName();
    if (cursor.acceptWord("REFRESH")) {
      return new RefreshDynamicTable(name);
    }
    return new Accepted("Statement executed successfully.");
  }

  private Statement alterUser() {
    cursor.acceptWords("IF", "EXISTS");
    ObjectName user = cursor.objectName();
    cursor.expectWord("SET");
    return userDdl(user);
  }

  private Statement userDdl(ObjectName user) {
    Optional<String> password = Optional.empty();
    Optional<String> key = Optional.empty();
    Optional<String> defaultRole = Optional.empty();
    while (!cursor.atEnd()) {
      Token option = cursor.next();
      if (option.kind() != Token.Kind.WORD || !cursor.acceptSymbol("=")) {
        continue;
      }
      String value = cursor.stringOrWord();
      switch (option.upper()) {
        case "PASSWORD" -> password = Optional.of(value);
        case "RSA_PUBLIC_KEY" -> key = Optional.of(value);
        case "DEFAULT_ROLE" -> defaultRole = Optional.of(ObjectName.normalizePart(value));
        default -> {
          // other user properties are accepted and ignored
        }
      }
    }
    return new UserDdl(user, password, key, defaultRole);
  }

  private Statement show() {
    cursor.expectWord("SHOW");
    cursor.acceptWord("TERSE");
    String kind = cursor.next().upper();
    if (kind.equals("DYNAMIC")) {
      kind = "DYNAMIC " + cursor.next().upper();
    }
    Optional<String> like = Optional.empty();
    Optional<ObjectName> in = Optional.empty();
    String inKind = "";
    while (!cursor.atEnd()) {
      Token t = cursor.next();
      if (t.isWord("LIKE")) {
        like = Optional.of(cursor.stringOrWord());
      } else if (t.isWord("IN")) {
        for (String word : List.of("DATABASE", "SCHEMA", "ACCOUNT")) {
          if (cursor.acceptWord(word)) {
            inKind = word;
          }
        }
        if (!cursor.atEnd() && !inKind.equals("ACCOUNT")) {
          in = Optional.of(cursor.objectName());
        }
      } else if (!t.isSymbol(";")) {
        // STARTS WITH, LIMIT, HISTORY, …: not emulated, and never ignored
        throw Unsupported.feature("SHOW " + kind + " " + t.upper());
      }
    }
    return new Show(kind, like, in, inKind);
  }

  private Statement describe() {
    cursor.next();
    String kind = "TABLE";
    String next = cursor.peek().upper();
    if (List.of("TABLE", "VIEW", "STAGE", "PIPE", "DYNAMIC").contains(next)) {
      cursor.next();
      kind = next.equals("DYNAMIC") ? "TABLE" : next;
      cursor.acceptWord("TABLE");
    }
    return new Describe(kind, cursor.objectName());
  }
}
