package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SessionValues;
import io.pgsnow.emulator.sql.StageRef;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One Snowflake session: its own DuckDB connection and current database, schema, role, warehouse.
 */
public final class SessionState implements AutoCloseable {

  private final Connection connection;
  private final String user;
  private final String account;
  private volatile String database;
  private volatile String schema;
  private volatile String role = "SYSADMIN";
  private volatile String warehouse = "COMPUTE_WH";

  public SessionState(Connection connection, String user, String account) {
    this.connection = connection;
    this.user = user;
    this.account = account;
  }

  public Connection connection() {
    return connection;
  }

  public String user() {
    return user;
  }

  public String database() {
    return database;
  }

  public String schema() {
    return schema;
  }

  public String role() {
    return role;
  }

  public String warehouse() {
    return warehouse;
  }

  void setDatabase(String database, String schema) {
    this.database = database;
    this.schema = schema;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public void setWarehouse(String warehouse) {
    this.warehouse = warehouse;
  }

  public SessionValues values() {
    return new SessionValues(user, role, warehouse, account);
  }

  public ObjectName qualify(ObjectName name) {
    return name.qualify(database, schema);
  }

  public StageRef qualify(StageRef stage) {
    return stage.qualify(database, schema);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
