package io.pgsnow.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class SnowflakeErrorsTest {

  @Test
  void statementCanceledAfterItsQueryTimeoutIsRetried() {
    SQLException canceled = new SQLException("SQL execution canceled", "57014", 604);
    assertThat(SnowflakeErrors.isTransient(canceled)).isTrue();
    assertThat(SnowflakeErrors.classify("Writing a file", canceled))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("SQL execution canceled (code 604, state 57014)");
  }

  @Test
  void statementEndedByTheServiceStatementTimeoutIsRetried() {
    SQLException timedOut =
        new SQLException(
            "Statement reached its statement or warehouse timeout of 1 second(s) and was"
                + " canceled.",
            "57014",
            630);
    assertThat(SnowflakeErrors.isTransient(timedOut)).isTrue();
  }

  @Test
  void callAbandonedByTheSessionIsRetried() {
    SQLException abandoned =
        new SnowflakeSession.AbandonedCallException("Snowflake did not answer the login");
    assertThat((Throwable) abandoned).isInstanceOf(SQLTimeoutException.class);
    assertThat(SnowflakeErrors.classify("Preparing the table", abandoned))
        .isInstanceOf(RetriableException.class);
  }

  @Test
  void authenticationAndSyntaxFailuresAreFatal() {
    SQLException badJwt = new SQLException("JWT token is invalid", "08001", 390144);
    SQLException syntax = new SQLException("syntax error", "42000", 1003);
    assertThat(SnowflakeErrors.classify("Logging in", badJwt))
        .isExactlyInstanceOf(ConnectException.class);
    assertThat(SnowflakeErrors.isTransient(syntax)).isFalse();
  }
}
