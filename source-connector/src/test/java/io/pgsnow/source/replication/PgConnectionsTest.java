package io.pgsnow.source.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class PgConnectionsTest {

  /** An error as the server sends it (severity, SQLSTATE, message fields). */
  private static PSQLException withState(String state) {
    return new PSQLException(
        new ServerErrorMessage("SFATAL\u0000C" + state + "\u0000Mfailure " + state + "\u0000"));
  }

  @Test
  void failuresOfTheServerOrTheNetworkAreTransient() {
    for (String state : new String[] {"08001", "08006", "57P01", "57P02", "57P03", "55006"}) {
      assertThat(PgConnections.isTransient(withState(state))).as(state).isTrue();
    }
    assertThat(
            PgConnections.isTransient(
                new PSQLException(
                    "refused", org.postgresql.util.PSQLState.CONNECTION_UNABLE_TO_CONNECT)))
        .isTrue();
  }

  @Test
  void failuresOfTheRequestAreNot() {
    // invalid password, unknown database, insufficient privilege, syntax error
    for (String state : new String[] {"28P01", "3D000", "42501", "42601"}) {
      assertThat(PgConnections.isTransient(withState(state))).as(state).isFalse();
    }
    assertThat(PgConnections.isTransient(new SQLException("not the driver's", "08006"))).isFalse();
  }
}
