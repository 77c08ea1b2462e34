package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.auth.UserDirectory;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.Statement;
import java.sql.SQLException;

/**
 * Which privilege each statement needs ({@link AccessControl}), checked before it runs, and the
 * ownership it gives once it succeeded. Queries and DML are checked by the tables they name.
 */
final class AccessChecks {

  private final AccessControl access;
  private final Warehouse warehouse;
  private final UserDirectory users;

  AccessChecks(AccessControl access, Warehouse warehouse, UserDirectory users) {
    this.access = access;
    this.warehouse = warehouse;
    this.users = users;
  }

  AccessControl access() {
    return access;
  }

  /** Throws Snowflake's error when the session's role may not run the statement. */
  void before(SessionState s, Statement st) throws SQLException {
    if (AccessControl.unrestricted(s.role())) {
      return;
    }
    if (st instanceof Statement.Use use) {
      if (use.kind().equals("DATABASE")) {
        access.checkUse(s, use.name().name(), null);
      } else if (use.kind().equals("SCHEMA")) {
        String db = use.name().schema() != null ? use.name().schema() : s.database();
        access.checkUse(s, db, use.name().name());
      }
    } else if (st instanceof Statement.DatabaseObjectDdl ddl) {
      access.checkDatabaseObject(s, ddl.kind(), ddl.name());
    } else if (st instanceof Statement.CreateTable ct) {
      create(s, "TABLE", ct.name(), ct.orReplace());
      query(s, ct.asSelect().orElse(null));
    } else if (st instanceof Statement.CreateView cv) {
      create(s, "VIEW", cv.name(), cv.orReplace());
      query(s, cv.select());
    } else if (st instanceof Statement.CreateDynamicTable dt) {
      create(s, "DYNAMIC TABLE", dt.name(), dt.orReplace());
      query(s, dt.select());
    } else if (st instanceof Statement.CreateStage cs) {
      create(s, "STAGE", cs.name(), cs.orReplace());
    } else if (st instanceof Statement.CreatePipe cp) {
      create(s, "PIPE", cp.name(), cp.orReplace());
      copy(s, cp.copy());
    } else if (st instanceof Statement.DropObject drop) {
      ObjectName name = s.qualify(drop.name());
      if (!drop.ifExists() || exists(s, drop.kind(), name)) {
        access.checkOwned(s, drop.kind(), name);
      }
    } else if (st instanceof Statement.Truncate t) {
      access.checkOwned(s, "TABLE", s.qualify(t.table()));
    } else if (st instanceof Statement.AddColumns add) {
      access.checkOwned(s, "TABLE", s.qualify(add.table()));
    } else if (st instanceof Statement.RefreshDynamicTable r) {
      access.checkOwned(s, "DYNAMIC TABLE", s.qualify(r.name()));
    } else if (st instanceof Statement.Describe d) {
      access.checkOwned(s, d.kind(), s.qualify(d.name()));
    } else if (st instanceof Statement.UserDdl) {
      access.requireAdmin(s);
    } else {
      reads(s, st);
    }
  }

  /** Queries, DML and the file commands: the tables and stages they read or write. */
  private void reads(SessionState s, Statement st) throws SQLException {
    if (st instanceof Statement.CopyInto copy) {
      copy(s, copy);
    } else if (st instanceof Statement.Put put) {
      access.checkStage(s, s.qualify(put.stage()));
    } else if (st instanceof Statement.Get get) {
      access.checkStage(s, s.qualify(get.stage()));
    } else if (st instanceof Statement.ListStage list) {
      access.checkStage(s, s.qualify(list.stage()));
    } else if (st instanceof Statement.RemoveStage remove) {
      access.checkStage(s, s.qualify(remove.stage()));
    } else if (st instanceof Statement.Sql sql) {
      for (ObjectName table : SqlTables.of(s.connection(), sql)) {
        access.checkOwned(s, "TABLE", table, "Object");
      }
    }
  }

  /** The tables and views a query (DuckDB SQL; none when null) reads. */
  private void query(SessionState s, String duckSelect) throws SQLException {
    if (duckSelect != null) {
      reads(s, new Statement.Sql(duckSelect, Statement.SqlKind.QUERY));
    }
  }

  private void copy(SessionState s, Statement.CopyInto copy) {
    access.checkOwned(s, "TABLE", s.qualify(copy.table()));
    access.checkStage(s, s.qualify(copy.source()));
  }

  private void create(SessionState s, String kind, ObjectName name, boolean orReplace)
      throws SQLException {
    ObjectName qualified = s.qualify(name);
    access.checkCreate(s, kind, qualified, orReplace && exists(s, kind, qualified));
  }

  private boolean exists(SessionState s, String kind, ObjectName name) throws SQLException {
    return switch (kind) {
      case "STAGE", "PIPE" -> warehouse.metadata().object(kind, name).isPresent();
      default -> CatalogCommands.relationExists(s.connection(), name);
    };
  }

  /**
   * The kind and qualified name of the object a CREATE statement makes, or null for other
   * statements.
   */
  private static Created created(SessionState s, Statement st) {
    if (st instanceof Statement.CreateTable ct) {
      return new Created("TABLE", s.qualify(ct.name()), ct.orReplace());
    } else if (st instanceof Statement.CreateView cv) {
      return new Created("VIEW", s.qualify(cv.name()), cv.orReplace());
    } else if (st instanceof Statement.CreateDynamicTable dt) {
      return new Created("DYNAMIC TABLE", s.qualify(dt.name()), dt.orReplace());
    } else if (st instanceof Statement.CreateStage cs) {
      return new Created("STAGE", s.qualify(cs.name()), cs.orReplace());
    } else if (st instanceof Statement.CreatePipe cp) {
      return new Created("PIPE", s.qualify(cp.name()), cp.orReplace());
    }
    return null;
  }

  private record Created(String kind, ObjectName name, boolean orReplace) {}

  /**
   * Whether the object a CREATE statement names exists before it runs (catalog changes run one at a
   * time, so this still holds when it runs); false for other statements.
   */
  boolean createsOver(SessionState s, Statement st) throws SQLException {
    Created c = created(s, st);
    return c != null && exists(s, c.kind(), c.name());
  }

  /**
   * Records who owns what the statement created (not an existing object an IF NOT EXISTS kept), and
   * forgets what it dropped.
   */
  void after(SessionState s, Statement st, boolean existed) {
    Created c = created(s, st);
    if (c != null && (!existed || c.orReplace())) {
      access.owned(s, c.kind(), c.name());
    } else if (st instanceof Statement.DropObject drop) {
      access.dropped(drop.kind(), s.qualify(drop.name()));
    }
  }

  /** Warehouses are not checked: the emulator has none, any name is taken. */
  private boolean schemaExists(SessionState s, Statement.GrantPrivileges grant)
      throws SQLException {
    String on = AccessControl.onName(s, "SCHEMA", grant.on());
    String db = on.substring(0, on.length() - grant.on().name().length() - 1);
    return warehouse.databaseExists(db)
        && CatalogCommands.schemaExists(s.connection(), db, grant.on().name());
  }

  QueryResult createRole(SessionState s, Statement.CreateRole create) {
    return access.createRole(s, create);
  }

  QueryResult grantRole(SessionState s, Statement.GrantRole grant) {
    access.requireAdmin(s);
    return access.grantRole(s, grant, users.exists(grant.user()));
  }

  QueryResult grantPrivileges(SessionState s, Statement.GrantPrivileges grant) throws SQLException {
    access.requireAdmin(s);
    boolean exists =
        !grant.onKind().equals("SCHEMA")
            ? !grant.onKind().equals("DATABASE") || warehouse.databaseExists(grant.on().name())
            : schemaExists(s, grant);
    return access.grantPrivileges(s, grant, exists);
  }
}
