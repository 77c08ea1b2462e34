package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.List;

/** A VARIANT path ({@code col:a.b[0]}) as the JSON path of DuckDB's {@code json_extract}. */
final class VariantPath {

  /** The path as a DuckDB string literal, and the index of the first token after it. */
  record Parsed(String literal, int next) {}

  private VariantPath() {}

  /** Reads the path whose first key follows the {@code :} at {@code colonAt}. */
  static Parsed parse(List<Token> tokens, int colonAt) {
    int i = colonAt + 1;
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
    return new Parsed(Token.duckLiteral(path.toString()), i);
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

  /** The value at the path of {@code base}, a VARIANT. */
  static String extract(String base, String pathLiteral) {
    return "json_extract(" + base + ", " + pathLiteral + ")";
  }

  /** The value at the path of {@code base}, cast to {@code type}. */
  static String cast(String base, String pathLiteral, SnowflakeType type) {
    if (type.isSemiStructured()) {
      return extract(base, pathLiteral);
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
