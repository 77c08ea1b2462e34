package io.pgsnow.emulator.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GRANT forms of the emulator's access control: {@code GRANT ROLE r TO USER u} and {@code GRANT
 * privilege [, …] ON DATABASE | SCHEMA | WAREHOUSE name TO ROLE r}. Every other form (grants on
 * tables or stages, ALL / FUTURE, OWNERSHIP, WITH GRANT OPTION, to a share or a database role)
 * fails as unsupported instead of being accepted and ignored.
 */
final class AccessStatements {

  /** The privileges each object kind may be granted here (Snowflake has more). */
  static final Map<String, Set<String>> PRIVILEGES =
      Map.of(
          "DATABASE", Set.of("USAGE"),
          "SCHEMA",
              Set.of(
                  "USAGE",
                  "CREATE TABLE",
                  "CREATE VIEW",
                  "CREATE STAGE",
                  "CREATE PIPE",
                  "CREATE DYNAMIC TABLE"),
          "WAREHOUSE", Set.of("USAGE", "OPERATE", "MONITOR"));

  private AccessStatements() {}

  static Statement grant(TokenCursor cursor) {
    cursor.expectWord("GRANT");
    if (cursor.acceptWord("ROLE")) {
      String role = cursor.objectName().name();
      cursor.expectWord("TO");
      if (!cursor.acceptWord("USER")) {
        throw Unsupported.feature("GRANT ROLE TO " + cursor.peek().upper());
      }
      String user = cursor.objectName().name();
      end(cursor, "GRANT ROLE");
      return new Statement.GrantRole(role, user);
    }
    List<String> privileges = new ArrayList<>();
    StringBuilder privilege = new StringBuilder();
    while (!cursor.atEnd() && !cursor.peek().isWord("ON")) {
      Token t = cursor.next();
      if (t.isSymbol(",")) {
        privileges.add(privilege.toString());
        privilege.setLength(0);
      } else {
        privilege.append(privilege.isEmpty() ? "" : " ").append(t.upper());
      }
    }
    privileges.add(privilege.toString());
    cursor.expectWord("ON");
    String onKind = cursor.next().upper();
    Set<String> known = PRIVILEGES.get(onKind);
    if (known == null) {
      throw Unsupported.feature("GRANT ON " + onKind);
    }
    for (String p : privileges) {
      if (!known.contains(p)) {
        throw Unsupported.feature("GRANT " + p + " ON " + onKind);
      }
    }
    ObjectName on = cursor.objectName();
    cursor.expectWord("TO");
    if (!cursor.acceptWord("ROLE")) {
      throw Unsupported.feature("GRANT TO " + cursor.peek().upper());
    }
    String role = cursor.objectName().name();
    end(cursor, "GRANT");
    return new Statement.GrantPrivileges(List.copyOf(privileges), onKind, on, role);
  }

  /** Nothing may follow (WITH GRANT OPTION, COPY CURRENT GRANTS, …): such options are refused. */
  private static void end(TokenCursor cursor, String statement) {
    if (!cursor.atEnd() && !cursor.peek().isSymbol(";")) {
      throw Unsupported.feature(statement + " " + cursor.peek().upper());
    }
  }
}
