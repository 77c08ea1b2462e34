package io.pgsnow.emulator.sql;

import java.util.ArrayList;
import java.util.List;

/** Reads significant tokens (skipping white space and comments) for the statement parser. */
public final class TokenCursor {

  private final List<Token> tokens;
  private int index;

  public TokenCursor(List<Token> tokens) {
    this.tokens = tokens;
    skipTrivia();
  }

  private void skipTrivia() {
    while (index < tokens.size() && tokens.get(index).isTrivia()) {
      index++;
    }
  }

  public boolean atEnd() {
    return index >= tokens.size() || tokens.get(index).isSymbol(";");
  }

  public Token peek() {
    return atEnd() ? new Token(Token.Kind.SPACE, "") : tokens.get(index);
  }

  /** Looks past the current token; {@code ahead=0} is {@link #peek()}. */
  public Token peek(int ahead) {
    int i = index;
    int seen = 0;
    while (i < tokens.size()) {
      if (!tokens.get(i).isTrivia()) {
        if (seen == ahead) {
          return tokens.get(i);
        }
        seen++;
      }
      i++;
    }
    return new Token(Token.Kind.SPACE, "");
  }

  public Token next() {
    Token token = peek();
    if (!atEnd()) {
      index++;
      skipTrivia();
    }
    return token;
  }

  public boolean acceptWord(String word) {
    if (peek().isWord(word)) {
      next();
      return true;
    }
    return false;
  }

  /** Accepts a sequence of words only if all of them are next. */
  public boolean acceptWords(String... words) {
    for (int i = 0; i < words.length; i++) {
      if (!peek(i).isWord(words[i])) {
        return false;
      }
    }
    for (int i = 0; i < words.length; i++) {
      next();
    }
    return true;
  }

  public boolean acceptSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      next();
      return true;
    }
    return false;
  }

  public void expectWord(String word) {
    if (!acceptWord(word)) {
      throw SnowflakeSqlException.syntax(
          "syntax error unexpected '" + peek().text() + "', expected " + word + ".");
    }
  }

  public void expectSymbol(String symbol) {
    if (!acceptSymbol(symbol)) {
      throw SnowflakeSqlException.syntax(
          "syntax error unexpected '" + peek().text() + "', expected '" + symbol + "'.");
    }
  }

  /** Reads a possibly qualified object name. */
  public ObjectName objectName() {
    StringBuilder text = new StringBuilder();
    do {
      Token part = next();
      if (part.kind() != Token.Kind.WORD && part.kind() != Token.Kind.QUOTED_IDENT) {
        throw SnowflakeSqlException.syntax(
            "syntax error unexpected '" + part.text() + "', expected an object name.");
      }
      if (text.length() > 0) {
        text.append('.');
      }
      text.append(part.text());
    } while (acceptSymbol("."));
    return ObjectName.parse(text.toString());
  }

  /** The remaining tokens (including trivia) from the current position. */
  public List<Token> rest() {
    List<Token> rest =
        new ArrayList<>(tokens.subList(Math.min(index, tokens.size()), tokens.size()));
    while (!rest.isEmpty()
        && (rest.get(rest.size() - 1).isTrivia() || rest.get(rest.size() - 1).isSymbol(";"))) {
      rest.remove(rest.size() - 1);
    }
    return rest;
  }

  /** Reads a type such as {@code NUMBER(10,2)} or {@code DOUBLE PRECISION}. */
  public SnowflakeType type() {
    String name = next().text();
    if (name.equalsIgnoreCase("DOUBLE") && acceptWord("PRECISION")) {
      name = "DOUBLE PRECISION";
    }
    List<Integer> args = new ArrayList<>();
    if (acceptSymbol("(")) {
      while (!acceptSymbol(")")) {
        Token t = next();
        if (t.kind() == Token.Kind.NUMBER) {
          args.add(Integer.parseInt(t.text()));
        } else if (!t.isSymbol(",")) {
          throw SnowflakeSqlException.syntax("syntax error unexpected '" + t.text() + "'.");
        }
      }
    }
    return SnowflakeType.of(name, args);
  }

  /** Reads {@code KEY = value} options until the end, lower-level values as raw text. */
  public String stringOrWord() {
    Token t = next();
    return t.kind() == Token.Kind.STRING ? t.stringValue() : t.text();
  }
}
