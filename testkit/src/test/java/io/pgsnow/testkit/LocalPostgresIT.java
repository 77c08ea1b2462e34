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

  @Test
  void restartsAfterAFastAndAnImmediateStopWithItsDataAndPort() throws Exception {
    try (LocalPostgres pg = LocalPostgres.builder().durable().start()) {
      int port = pg.port();
      pg.execute("CREATE TABLE kept (id int primary key)", "INSERT INTO kept VALUES (1)");
      pg.stop(LocalPostgres.Shutdown.FAST);
      org.assertj.core.api.Assertions.assertThatThrownBy(pg::connect)
          .isInstanceOf(java.sql.SQLException.class);
      pg.start();
      pg.execute("INSERT INTO kept VALUES (2)");
      pg.stop(LocalPostgres.Shutdown.IMMEDIATE);
      pg.start();
      assertThat(pg.port()).isEqualTo(port);
      try (Connection c = pg.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
        rs.next();
        assertThat(rs.getInt(1)).as("both committed rows survive the crash").isEqualTo(2);
      }
    }
  }
}
