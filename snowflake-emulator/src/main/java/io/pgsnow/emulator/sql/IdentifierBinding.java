package io.pgsnow.emulator.sql;

import io.pgsnow.emulator.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves {@code IDENTIFIER(?)} and {@code IDENTIFIER('name')} before parsing, because the
 * connector passes every object name that way. The bind variables used up are reported so the
 * remaining ones can be renumbered.
 */
public final class IdentifierBinding {

  /** Tokens with identifiers substituted, and the 1-based bind positions they consumed. */
  public record Result(List<Token> tokens, Set<Integer> consumedBinds) {}

  private IdentifierBinding() {}

  public static Result apply(List<Token> tokens, List<String> bindTexts) {
    List<Token> out = new ArrayList<>(tokens.size());
    Set<Integer> consumed = new TreeSet<>();
    int paramIndex = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isWord("IDENTIFIER")
          && i + 3 < tokens.size()
          && tokens.get(i + 1).isSymbol("(")
          && tokens.get(i + 3).isSymbol(")")) {
        Token arg = tokens.get(i + 2);
        String name;
        if (arg.kind() == Kind.PARAM) {
          paramIndex++;
          consumed.add(paramIndex);
          name = paramIndex <= bindTexts.size() ? bindTexts.get(paramIndex - 1) : null;
        } else if (arg.kind() == Kind.STRING) {
          name = arg.stringValue();
        } else {
          name = null;
        }
        if (name != null) {
          out.addAll(SqlLexer.tokenize(name.trim()));
          i += 3;
          continue;
        }
      }
      if (t.kind() == Kind.PARAM) {
        paramIndex++;
      }
      out.add(t);
    }
    return new Result(out, consumed);
  }
}
