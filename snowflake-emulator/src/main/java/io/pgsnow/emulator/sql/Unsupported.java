package io.pgsnow.emulator.sql;

import java.util.Locale;
import java.util.Set;

/**
 * What the emulator does with statements it does not implement: a short, documented list is
 * accepted and ignored (access control, warehouses, session settings, transactions: see the
 * README), and everything else fails with Snowflake's "unsupported feature" error shape instead of
 * answering success or passing to DuckDB.
 */
public final class Unsupported {

  /** Snowflake's code and SQLSTATE for an unsupported feature. */
  public static final String SQLSTATE = "0A000";

  /** Statement keywords Snowflake has and the emulator does not implement. */
  static final Set<String> KNOWN_STATEMENTS =
      Set.of(
          "CALL", "EXPLAIN", "SET", "UNSET", "UNDROP", "EXECUTE", "COMMENT", "DECLARE", "CANCEL",
          "ABORT");

  private Unsupported() {}

  /** The error for a feature the emulator does not implement, named as the user wrote it. */
  public static SnowflakeSqlException feature(String feature) {
    return new SnowflakeSqlException(
        SnowflakeSqlException.UNSUPPORTED,
        SQLSTATE,
        "SQL compilation error:\nUnsupported feature '"
            + feature.toUpperCase(Locale.ROOT)
            + "': the pgsnow Snowflake emulator does not implement it.");
  }
}
