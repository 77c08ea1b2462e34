package io.pgsnow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class LocalPostgresIT {

  @Test
  void startsWithLogicalDecodingEnabled() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW wal_level")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("logical");
    }
  }

  @Test
  void createsIsolatedDatabases() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("testkit_isolated");
    pg.executeIn(db, "CREATE TABLE t (id int primary key)", "INSERT INTO t VALUES (1), (2)");
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void rejectsAWrongPassword() {
    LocalPostgres pg = LocalPostgres.shared();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> java.sql.DriverManager.getConnection(pg.jdbcUrl(), "postgres", "wrong"))
        .hasMessageContaining("password authentication failed");
  }
}
