package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.StageRef;
import io.pgsnow.emulator.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The emulator's access control, the smallest model of Snowflake's that lets a test show a missing
 * grant: roles, roles granted to users, a user's default role, USAGE on databases and schemas, the
 * CREATE privileges of a schema, and ownership of the tables, views, dynamic tables, stages and
 * pipes a role creates. The system roles (ACCOUNTADMIN, SECURITYADMIN, SYSADMIN, USERADMIN) may do
 * anything, and every user holds them, so a session without a custom role keeps full rights. A
 * custom role may create an object in a schema with USAGE on its database and schema and the
 * schema's {@code CREATE <kind>}, and may use the objects it owns; an object it has no privilege on
 * does not exist for it (002003, as in Snowflake). Kept in memory: a persistent emulator restarts
 * with no custom roles.
 */
final class AccessControl {

  private static final Set<String> SYSTEM_ROLES =
      Set.of("ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN");

  /** The role that owns the objects created by a system role or before a restart. */
  private static final String SYSTEM_OWNER = "SYSADMIN";

  private final Set<String> roles = new HashSet<>(SYSTEM_ROLES);
  private final Map<String, Set<String>> userRoles = new HashMap<>();
  private final Map<String, String> defaultRoles = new HashMap<>();

  /** Per role: "USAGE ON DATABASE DB", "CREATE TABLE ON SCHEMA DB.S", … */
  private final Map<String, Set<String>> grants = new HashMap<>();

  /** "TABLE DB.S.T" / "STAGE …" / "PIPE …" to the owning role. */
  private final Map<String, String> owners = new HashMap<>();

  AccessControl() {
    roles.add("PUBLIC");
  }

  static boolean unrestricted(String role) {
    return SYSTEM_ROLES.contains(role);
  }

  /**
   * The role a new session starts with: the connection's {@code role} when given (empty when the
   * user may not use it), else the user's default role, else SYSADMIN.
   */
  synchronized Optional<String> loginRole(String user, String requested) {
    if (requested == null || requested.isBlank()) {
      return Optional.of(defaultRoles.getOrDefault(user, SYSTEM_OWNER));
    }
    String role = ObjectName.normalizePart(requested);
    return mayUse(user, role) ? Optional.of(role) : Optional.empty();
  }

  private boolean mayUse(String user, String role) {
    return SYSTEM_ROLES.contains(role)
        || role.equals("PUBLIC")
        || userRoles.getOrDefault(user, Set.of()).contains(role);
  }

  synchronized void useRole(SessionState s, String role) {
    if (!roles.contains(role) || !mayUse(s.user(), role)) {
      throw SnowflakeSqlException.notFound("Role", role);
    }
    s.setRole(role);
  }

  synchronized QueryResult createRole(SessionState s, Statement.CreateRole create) {
    requireAdmin(s);
    if (roles.contains(create.role())) {
      if (create.ifNotExists()) {
        return QueryResult.status(create.role() + " already exists, statement succeeded.");
      }
      throw new SnowflakeSqlException(
          SnowflakeSqlException.ALREADY_EXISTS,
          "42710",
          "SQL compilation error:\nObject '" + create.role() + "' already exists.");
    }
    roles.add(create.role());
    return QueryResult.status("Role " + create.role() + " successfully created.");
  }

  synchronized QueryResult grantRole(
      SessionState s, Statement.GrantRole grant, boolean userExists) {
    requireAdmin(s);
    requireRole(grant.role());
    if (!userExists) {
      throw SnowflakeSqlException.notFound("User", grant.user());
    }
    userRoles.computeIfAbsent(grant.user(), u -> new HashSet<>()).add(grant.role());
    return QueryResult.status("Statement executed successfully.");
  }

  synchronized QueryResult grantPrivileges(
      SessionState s, Statement.GrantPrivileges grant, boolean objectExists) {
    requireAdmin(s);
    requireRole(grant.role());
    String on = onName(s, grant.onKind(), grant.on());
    if (!objectExists) {
      throw SnowflakeSqlException.notFound(capitalized(grant.onKind()), on);
    }
    Set<String> held = grants.computeIfAbsent(grant.role(), r -> new HashSet<>());
    for (String privilege : grant.privileges()) {
      held.add(privilege + " ON " + grant.onKind() + " " + on);
    }
    return QueryResult.status("Statement executed successfully.");
  }

  /** The granted-on object's name as grants are kept: DB, or DB.SCHEMA. */
  static String onName(SessionState s, String kind, ObjectName on) {
    if (!kind.equals("SCHEMA")) {
      return on.name();
    }
    String db = on.schema() != null ? on.schema() : s.database();
    if (db == null) {
      throw SnowflakeSqlException.noCurrent(false, "GRANT");
    }
    return db + "." + on.name();
  }

  synchronized void setDefaultRole(SessionState s, String user, String role) {
    requireAdmin(s);
    requireRole(role);
    defaultRoles.put(user, role);
  }

  private void requireRole(String role) {
    if (!roles.contains(role)) {
      throw SnowflakeSqlException.notFound("Role", role);
    }
  }

  /** Managing roles, grants and users needs a system role here. */
  void requireAdmin(SessionState s) {
    if (!unrestricted(s.role())) {
      throw SnowflakeSqlException.accessDenied("account", s.values().account());
    }
  }

  /** USE DATABASE / SCHEMA: the role needs USAGE on it. */
  synchronized void checkUse(SessionState s, String database, String schema) {
    if (unrestricted(s.role())) {
      return;
    }
    requireUsage(s.role(), database, schema);
  }

  private void requireUsage(String role, String database, String schema) {
    if (!has(role, "USAGE ON DATABASE " + database)) {
      throw SnowflakeSqlException.notFound("Database", database);
    }
    if (schema != null && !has(role, "USAGE ON SCHEMA " + database + "." + schema)) {
      throw SnowflakeSqlException.notFound("Schema", database + "." + schema);
    }
  }

  private boolean has(String role, String grant) {
    return grants.getOrDefault(role, Set.of()).contains(grant);
  }

  /**
   * Creating a {@code kind} (TABLE, VIEW, DYNAMIC TABLE, STAGE, PIPE) named {@code name}
   * (qualified): USAGE on its database and schema and {@code CREATE <kind>} on the schema;
   * replacing an object also needs its ownership.
   */
  synchronized void checkCreate(SessionState s, String kind, ObjectName name, boolean replaces) {
    String role = s.role();
    if (unrestricted(role)) {
      return;
    }
    requireUsage(role, name.database(), name.schema());
    if (!has(role, "CREATE " + kind + " ON SCHEMA " + name.database() + "." + name.schema())) {
      throw SnowflakeSqlException.accessDenied("schema", name.schema());
    }
    if (replaces) {
      checkOwned(s, kind, name);
    }
  }

  /** CREATE / DROP of a database or schema by a custom role: not granted here. */
  synchronized void checkDatabaseObject(SessionState s, String kind, ObjectName name) {
    if (unrestricted(s.role())) {
      return;
    }
    if (kind.equals("DATABASE")) {
      throw SnowflakeSqlException.accessDenied("account", s.values().account());
    }
    String db = name.schema() != null ? name.schema() : s.database();
    requireUsage(s.role(), db, null);
    throw SnowflakeSqlException.accessDenied("database", db);
  }

  /**
   * Using (reading, loading, altering, dropping) an object: a custom role must own it; one it has
   * no privilege on does not exist for it.
   */
  void checkOwned(SessionState s, String kind, ObjectName name) {
    checkOwned(s, kind, name, capitalized(kind));
  }

  /** As {@link #checkOwned(SessionState, String, ObjectName)}, naming it {@code label} if not. */
  synchronized void checkOwned(SessionState s, String kind, ObjectName name, String label) {
    String role = s.role();
    if (unrestricted(role)) {
      return;
    }
    requireUsage(role, name.database(), name.schema());
    if (!role.equals(owners.getOrDefault(key(kind, name), SYSTEM_OWNER))) {
      throw SnowflakeSqlException.notFound(label, name.display());
    }
  }

  /**
   * Whether a Snowpipe REST call of {@code user}, which runs with the user's default role, may use
   * the pipe: a custom role must own it (its loads then run with the owner's rights).
   */
  synchronized boolean mayCallPipe(String user, ObjectName pipe) {
    String role = defaultRoles.getOrDefault(user, SYSTEM_OWNER);
    return unrestricted(role)
        || has(role, "USAGE ON DATABASE " + pipe.database())
            && has(role, "USAGE ON SCHEMA " + pipe.database() + "." + pipe.schema())
            && role.equals(owners.getOrDefault(key("PIPE", pipe), SYSTEM_OWNER));
  }

  /** A stage reference: a named stage, or a table's stage (the table's), or the user's own. */
  void checkStage(SessionState s, StageRef stage) {
    if (stage.kind() != StageRef.Kind.USER) {
      checkOwned(s, stage.kind() == StageRef.Kind.NAMED ? "STAGE" : "TABLE", stage.name());
    }
  }

  synchronized void owned(SessionState s, String kind, ObjectName name) {
    owners.put(key(kind, name), s.role());
  }

  synchronized void dropped(String kind, ObjectName name) {
    owners.remove(key(kind, name));
  }

  /** Tables, views and dynamic tables share one namespace, as in Snowflake. */
  private static String key(String kind, ObjectName name) {
    String space = List.of("STAGE", "PIPE").contains(kind) ? kind : "TABLE";
    return space + " " + name.display();
  }

  private static String capitalized(String kind) {
    String lower = kind.toLowerCase(java.util.Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }
}
