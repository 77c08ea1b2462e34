package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.IngestResponseException;
import net.snowflake.ingest.utils.StagedFileWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The emulator's access control through the JDBC driver: a user whose default role is a custom role
 * with USAGE on one database and schema and some of the schema's CREATE privileges creates and uses
 * what those grants allow, and gets Snowflake's errors for the rest: 003001 / 42501 "Insufficient
 * privileges to operate on schema" for a missing CREATE privilege, 002003 "does not exist or not
 * authorized" for objects and schemas it holds no privilege on.
 */
class AccessControlIT {

  private static final String LOADER = "LOADER_USER";
  private static final String LOADER_PASSWORD = "loader-pw";

  private static SnowflakeEmulator emulator;
  private static Connection admin;
  private static Connection loader;

  @BeforeAll
  static void start() throws SQLException {
    emulator = EmulatorClients.startWithDatabase("RBAC_DB");
    admin = EmulatorClients.password(emulator, "RBAC_DB", "PUBLIC");
    exec(
        admin,
        "create schema rbac_db.other",
        "create table rbac_db.public.admin_table (a int)",
        "create stage rbac_db.public.admin_stage",
        "create role loader",
        "create role if not exists loader",
        "create user " + LOADER + " password = '" + LOADER_PASSWORD + "'",
        "alter user " + LOADER + " set default_role = loader",
        "grant role loader to user " + LOADER,
        "grant usage on database rbac_db to role loader",
        "grant usage, create table, create stage on schema rbac_db.public to role loader",
        "grant usage on warehouse compute_wh to role loader");
    loader = connect(null);
  }

  @AfterAll
  static void stop() throws SQLException {
    loader.close();
    admin.close();
    emulator.close();
  }

  private static Connection connect(String role) throws SQLException {
    Properties p = EmulatorClients.baseProperties();
    p.put("user", LOADER);
    p.put("password", LOADER_PASSWORD);
    p.put("db", "RBAC_DB");
    p.put("schema", "PUBLIC");
    if (role != null) {
      p.put("role", role);
    }
    return DriverApi.connect(emulator.jdbcUrl(), p);
  }

  @Test
  void aSessionStartsWithTheUsersDefaultRoleAndASessionWithoutOneHasSysadmin() throws SQLException {
    assertThat(rows(loader, "select current_role(), current_schema()"))
        .containsExactly(List.of("LOADER", "PUBLIC"));
    assertThat(rows(admin, "select current_role()")).containsExactly(List.of("SYSADMIN"));
  }

  @Test
  void theGrantedCreatePrivilegesCreateObjectsTheRoleOwnsAndUses() throws SQLException {
    exec(
        loader,
        "create table loaded (a int)",
        "insert into loaded values (1), (2)",
        "update loaded set a = 3 where a = 2",
        "create stage loader_stage",
        "create or replace table loaded_copy as select * from loaded");
    // an IF NOT EXISTS of another role leaves the table to its owner
    exec(admin, "create table if not exists rbac_db.public.loaded (a int)");
    assertThat(rows(loader, "select sum(a) from loaded")).containsExactly(List.of("4"));
    assertThat(rows(loader, "list @loader_stage")).isEmpty();
    exec(loader, "truncate table loaded_copy", "drop table loaded_copy");
    // the system roles still see and use everything
    assertThat(rows(admin, "select count(*) from rbac_db.public.loaded"))
        .containsExactly(List.of("2"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "create view loader_view as select 1 as a",
        "create pipe loader_pipe as copy into admin_table from @admin_stage"
            + " file_format = (type = json)",
        "create dynamic table loader_dt target_lag = '1 minute' warehouse = compute_wh"
            + " as select 1 as a"
      })
  void aMissingCreatePrivilegeFailsWithSnowflakesAccessControlError(String sql)
      throws SQLException {
    SQLException e = failure(loader, sql);
    assertThat(e.getErrorCode()).isEqualTo(3001);
    assertThat(e.getSQLState()).isEqualTo("42501");
    assertThat(e.getMessage())
        .isEqualTo(
            "SQL access control error:\nInsufficient privileges to operate on schema 'PUBLIC'");
  }

  @Test
  void objectsAndSchemasWithoutAPrivilegeDoNotExistForTheRole() throws SQLException {
    assertNotAuthorized(
        "select * from admin_table", "Object 'RBAC_DB.PUBLIC.ADMIN_TABLE' does not exist");
    assertNotAuthorized(
        "insert into admin_table values (1)", "Object 'RBAC_DB.PUBLIC.ADMIN_TABLE' does not exist");
    assertNotAuthorized(
        "create table stolen as select * from admin_table",
        "Object 'RBAC_DB.PUBLIC.ADMIN_TABLE' does not exist");
    assertNotAuthorized("drop table admin_table", "Table 'RBAC_DB.PUBLIC.ADMIN_TABLE' does not");
    assertNotAuthorized("list @admin_stage", "Stage 'RBAC_DB.PUBLIC.ADMIN_STAGE' does not exist");
    assertNotAuthorized("create table other.t (a int)", "Schema 'RBAC_DB.OTHER' does not exist");
    assertNotAuthorized("use schema other", "Schema 'RBAC_DB.OTHER' does not exist");
    assertThat(rows(admin, "select count(*) from rbac_db.public.admin_table"))
        .containsExactly(List.of("0"));
  }

  @Test
  void aCustomRoleManagesNoRolesUsersOrDatabases() throws SQLException {
    for (String sql :
        List.of(
            "create role other_role",
            "grant role loader to user tester",
            "create database loader_db",
            "alter user " + LOADER + " set default_role = sysadmin")) {
      SQLException e = failure(loader, sql);
      assertThat(e.getErrorCode()).as(sql).isEqualTo(3001);
      assertThat(e.getMessage()).as(sql).contains("Insufficient privileges to operate on account");
    }
  }

  @Test
  void onlyAGrantedRoleCanBeUsed() throws SQLException {
    exec(admin, "create role if not exists stranger");
    SQLException use = failure(loader, "use role stranger");
    assertThat(use.getErrorCode()).isEqualTo(2003);
    assertThat(use.getMessage()).contains("Role 'STRANGER' does not exist or not authorized.");
    SQLException login = catchThrowableOfType(SQLException.class, () -> connect("stranger"));
    assertThat(login.getErrorCode()).isEqualTo(390189);
    assertThat(login.getMessage())
        .contains("Role 'STRANGER' specified in the connect string is not granted to this user");
    try (Connection withRole = connect("loader")) {
      assertThat(rows(withRole, "select current_role()")).containsExactly(List.of("LOADER"));
    }
  }

  /** Snowpipe's REST calls run with the user's default role: another role's pipe is not found. */
  @Test
  void aPipeOfAnotherRoleDoesNotExistForTheUsersRestCalls() throws Exception {
    KeyPair keys = EmulatorClients.newKeyPair();
    exec(
        admin,
        "create table rbac_db.public.admin_docs (v variant)",
        "create pipe rbac_db.public.admin_pipe as copy into rbac_db.public.admin_docs"
            + " from @rbac_db.public.admin_stage file_format = (type = json)",
        "alter user "
            + LOADER
            + " set rsa_public_key = '"
            + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())
            + "'");
    try (SimpleIngestManager ingest =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            LOADER,
            "RBAC_DB.PUBLIC.ADMIN_PIPE",
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port())) {
      assertThatThrownBy(() -> ingest.ingestFile(new StagedFileWrapper("x.json", 1L), null))
          .isInstanceOf(IngestResponseException.class)
          .hasMessageContaining("does not exist or not authorized");
    }
  }

  private static void assertNotAuthorized(String sql, String message) throws SQLException {
    SQLException e = failure(loader, sql);
    assertThat(e.getErrorCode()).as(sql).isEqualTo(2003);
    assertThat(e.getMessage()).as(sql).contains(message).contains("or not authorized");
  }

  private static SQLException failure(Connection conn, String sql) {
    SQLException e = catchThrowableOfType(SQLException.class, () -> exec(conn, sql));
    assertThat((Throwable) e).as("the failure of %s", sql).isNotNull();
    return e;
  }
}
