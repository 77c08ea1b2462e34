package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Statement.CopyInto;
import io.pgsnow.emulator.sql.Statement.CopyProjection;
import io.pgsnow.emulator.sql.Statement.CreatePipe;
import io.pgsnow.emulator.sql.Statement.Get;
import io.pgsnow.emulator.sql.Statement.ListStage;
import io.pgsnow.emulator.sql.Statement.Put;
import io.pgsnow.emulator.sql.Statement.RemoveStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the stage and loading commands: PUT, GET, LIST, REMOVE, COPY INTO, CREATE PIPE. */
final class FileCommandParser {

  private static final Pattern PUT =
      Pattern.compile("(?is)^\\s*PUT\\s+'?file://(.+?)'?\\s+('@[^']+'|@\\S+)(.*)$");
  private static final Pattern GET =
      Pattern.compile("(?is)^\\s*GET\\s+('@[^']+'|@\\S+)\\s+'?file://(.+?)'?(\\s.*)?$");
  private static final Pattern OPTION =
      Pattern.compile("(?i)(\\w+)\\s*=\\s*('(?:[^']|'')*'|\"[^\"]*\"|\\S+)");

  private FileCommandParser() {}

  static Statement parse(String sql, List<Token> tokens) {
    TokenCursor cursor = new TokenCursor(tokens);
    String verb = cursor.peek().upper();
    return switch (verb) {
      case "PUT" -> put(sql);
      case "GET" -> get(sql);
      case "LIST", "LS" -> {
        cursor.next();
        yield new ListStage(stage(cursor), patternOption(cursor));
      }
      case "REMOVE", "RM" -> {
        cursor.next();
        yield new RemoveStage(stage(cursor), patternOption(cursor));
      }
      default -> {
        cursor.expectWord("COPY");
        yield copyInto(cursor);
      }
    };
  }

  private static StageRef stage(TokenCursor cursor) {
    Token t = cursor.next();
    if (t.kind() != Token.Kind.STAGE) {
      throw SnowflakeSqlException.syntax("syntax error unexpected '" + t.text() + "'.");
    }
    return StageRef.parse(t.text());
  }

  private static Optional<String> patternOption(TokenCursor cursor) {
    while (!cursor.atEnd()) {
      Token t = cursor.next();
      if (t.isWord("PATTERN")) {
        cursor.acceptSymbol("=");
        return Optional.of(cursor.stringOrWord());
      }
    }
    return Optional.empty();
  }

  private static Put put(String sql) {
    Matcher m = PUT.matcher(sql.trim());
    if (!m.matches()) {
      throw SnowflakeSqlException.syntax("invalid PUT command: " + sql);
    }
    String options = m.group(3);
    boolean autoCompress = !"FALSE".equalsIgnoreCase(option(options, "AUTO_COMPRESS"));
    boolean overwrite = "TRUE".equalsIgnoreCase(option(options, "OVERWRITE"));
    return new Put(m.group(1), StageRef.parse(unquote(m.group(2))), autoCompress, overwrite);
  }

  private static Get get(String sql) {
    Matcher m = GET.matcher(sql.trim());
    if (!m.matches()) {
      throw SnowflakeSqlException.syntax("invalid GET command: " + sql);
    }
    String options = m.group(3) == null ? "" : m.group(3);
    return new Get(
        StageRef.parse(unquote(m.group(1))),
        m.group(2),
        Optional.ofNullable(option(options, "PATTERN")));
  }

  private static String unquote(String text) {
    return text.startsWith("'") && text.endsWith("'") ? text.substring(1, text.length() - 1) : text;
  }

  private static String option(String options, String name) {
    Matcher m = OPTION.matcher(options.replaceAll("/\\*.*?\\*/", " "));
    while (m.find()) {
      if (m.group(1).equalsIgnoreCase(name)) {
        String value = m.group(2);
        if (value.length() > 1 && (value.startsWith("'") || value.startsWith("\""))) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  static CreatePipe createPipe(String sql, List<Token> tokens, boolean orReplace) {
    TokenCursor cursor = new TokenCursor(tokens);
    while (!cursor.next().isWord("PIPE")) {
      // skip CREATE [OR REPLACE]
    }
    boolean ifNotExists = cursor.acceptWords("IF", "NOT", "EXISTS");
    ObjectName name = cursor.objectName();
    while (!cursor.atEnd() && !cursor.peek().isWord("AS")) {
      Token option = cursor.next();
      if (!option.isWord("COMMENT")) {
        // AUTO_INGEST, ERROR_INTEGRATION, AWS_SNS_TOPIC, INTEGRATION: notifications not emulated
        throw Unsupported.feature("CREATE PIPE " + option.upper());
      }
      cursor.expectSymbol("=");
      cursor.stringOrWord();
    }
    cursor.expectWord("AS");
    StringBuilder definition = new StringBuilder();
    cursor.rest().forEach(t -> definition.append(t.text()));
    cursor.expectWord("COPY");
    CopyInto copy = copyInto(cursor);
    return new CreatePipe(name, orReplace, ifNotExists, definition.toString().trim(), copy);
  }

  private static CopyInto copyInto(TokenCursor cursor) {
    cursor.expectWord("INTO");
    if (cursor.peek().kind() == Token.Kind.STAGE) {
      throw Unsupported.feature("COPY INTO <location> (unloading)");
    }
    ObjectName table = cursor.objectName();
    List<String> columns = new ArrayList<>();
    if (cursor.acceptSymbol("(")) {
      do {
        columns.add(ObjectName.normalizePart(cursor.next().text()));
      } while (cursor.acceptSymbol(","));
      cursor.expectSymbol(")");
    }
    cursor.expectWord("FROM");
    StageRef source;
    Optional<List<CopyProjection>> projections = Optional.empty();
    if (cursor.acceptSymbol("(")) {
      cursor.expectWord("SELECT");
      List<CopyProjection> list = new ArrayList<>();
      do {
        list.add(projection(cursor));
      } while (cursor.acceptSymbol(","));
      cursor.expectWord("FROM");
      source = stage(cursor);
      while (!cursor.acceptSymbol(")")) {
        cursor.next();
      }
      projections = Optional.of(list);
    } else {
      source = stage(cursor);
    }
    return copyOptions(cursor, table, columns, source, projections);
  }

  private static CopyProjection projection(TokenCursor cursor) {
    Token dollar = cursor.next();
    if (dollar.kind() != Token.Kind.DOLLAR) {
      throw new SnowflakeSqlException(
          SnowflakeSqlException.UNSUPPORTED,
          "0A000",
          "COPY transformations support only $n[:path][::type] columns, got '"
              + dollar.text()
              + "'");
    }
    int column = Integer.parseInt(dollar.text().substring(1));
    List<String> path = new ArrayList<>();
    if (cursor.acceptSymbol(":")) {
      path.add(pathKey(cursor.next()));
      while (cursor.acceptSymbol(".")) {
        path.add(pathKey(cursor.next()));
      }
    }
    Optional<SnowflakeType> cast = Optional.empty();
    if (cursor.acceptSymbol("::")) {
      cast = Optional.of(cursor.type());
    }
    if (cursor.acceptWord("AS")) {
      cursor.next();
    }
    return new CopyProjection(column, path, cast);
  }

  private static String pathKey(Token token) {
    return switch (token.kind()) {
      case QUOTED_IDENT -> ObjectName.normalizePart(token.text());
      case STRING -> token.stringValue();
      default -> token.text();
    };
  }

  private static CopyInto copyOptions(
      TokenCursor cursor,
      ObjectName table,
      List<String> columns,
      StageRef source,
      Optional<List<CopyProjection>> projections) {
    String type = "JSON";
    boolean stripOuterArray = false;
    String match = "NONE";
    String onError = "ABORT_STATEMENT";
    List<String> files = new ArrayList<>();
    Optional<String> pattern = Optional.empty();
    boolean force = false;
    while (!cursor.atEnd()) {
      Token key = cursor.next();
      if (key.kind() != Token.Kind.WORD || !cursor.acceptSymbol("=")) {
        continue;
      }
      switch (key.upper()) {
        case "TYPE" -> type = oneOf(key, cursor.stringOrWord(), Set.of("JSON"));
        case "STRIP_OUTER_ARRAY" ->
            stripOuterArray = cursor.stringOrWord().equalsIgnoreCase("TRUE");
        case "MATCH_BY_COLUMN_NAME" ->
            match = oneOf(key, cursor.stringOrWord(), MATCH_BY_COLUMN_NAME);
        case "ON_ERROR" -> onError = oneOf(key, cursor.stringOrWord(), ON_ERROR);
        case "FILE_FORMAT" -> {
          // its TYPE and options follow in parentheses
        }
        case "COMPRESSION" -> {
          // gzip is detected whatever this says (README: accepted and ignored)
          cursor.stringOrWord();
        }
        case "PATTERN" -> pattern = Optional.of(cursor.stringOrWord());
        case "FORCE" -> force = cursor.stringOrWord().equalsIgnoreCase("TRUE");
        case "FILES" -> files.addAll(fileList(cursor));
        default -> throw Unsupported.feature("COPY INTO option " + key.upper());
      }
    }
    if (projections.isPresent() && !match.equals("NONE")) {
      // Snowflake's 2024_02 behaviour change (bcr-1514); its error code is not documented.
      throw new SnowflakeSqlException(
          "002043",
          "42000",
          "SQL compilation error: match_by_column_name is not supported with copy transform.");
    }
    return new CopyInto(
        table,
        columns,
        source,
        projections,
        type,
        stripOuterArray,
        match,
        onError,
        files,
        pattern,
        force);
  }

  private static final Set<String> ON_ERROR = Set.of("CONTINUE", "SKIP_FILE", "ABORT_STATEMENT");
  private static final Set<String> MATCH_BY_COLUMN_NAME =
      Set.of("CASE_INSENSITIVE", "CASE_SENSITIVE", "NONE");

  /** {@code value}, upper-cased, if the emulator implements it for {@code option}. */
  private static String oneOf(Token option, String value, Set<String> implemented) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (!implemented.contains(upper)) {
      throw Unsupported.feature(option.upper() + " = " + upper);
    }
    return upper;
  }

  private static List<String> fileList(TokenCursor cursor) {
    List<String> files = new ArrayList<>();
    cursor.expectSymbol("(");
    while (!cursor.acceptSymbol(")")) {
      Token t = cursor.next();
      if (t.kind() == Token.Kind.STRING) {
        files.add(t.stringValue());
      }
    }
    return files;
  }
}
