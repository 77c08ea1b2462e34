package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;

/**
 * What the slot tests read of the server's WAL, slots and status replies, and of Connect offsets.
 */
final class SlotQueries {

  private SlotQueries() {}

  /** The first column of the query's one row, as text. */
  static String value(LocalPostgres pg, String db, String sql) throws Exception {
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  static long currentLsn(LocalPostgres pg, String db) throws Exception {
    return lsn(pg, db, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::numeric::text");
  }

  static long confirmedFlush(LocalPostgres pg, String db, String slot) throws Exception {
    return lsn(
        pg,
        db,
        "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::numeric::text FROM pg_replication_slots"
            + " WHERE slot_name = '"
            + slot
            + "'");
  }

  /** How much WAL the slot holds. */
  static long retainedBytes(LocalPostgres pg, String db, String slot) throws Exception {
    return Long.parseLong(
        value(
            pg,
            db,
            "SELECT (pg_current_wal_lsn() - confirmed_flush_lsn)::bigint FROM pg_replication_slots"
                + " WHERE slot_name = '"
                + slot
                + "'"));
  }

  /** The server's clock now, as text. */
  static String serverClock(LocalPostgres pg, String db) throws Exception {
    return value(pg, db, "SELECT clock_timestamp()::text");
  }

  /**
   * Whether the slot's client sent a status update {@code after} past the server time {@code t}.
   */
  static boolean repliedSince(LocalPostgres pg, String db, String slot, String t, Duration after)
      throws Exception {
    return value(
            pg,
            db,
            "SELECT coalesce(r.reply_time > '"
                + t
                + "'::timestamptz + interval '"
                + after.toMillis()
                + " milliseconds', false)::text FROM pg_replication_slots s"
                + " LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid"
                + " WHERE s.slot_name = '"
                + slot
                + "'")
        .equals("true");
  }

  /** The commit LSN of the connector's committed offset, 0 before one is committed. */
  static long committedCommitLsn(ConnectCluster connect, String connector) {
    for (ConnectorOffset offset : connect.connect().connectorOffsets(connector).offsets()) {
      Map<String, ?> values = offset.offset();
      if (values != null && values.get("lsn_commit") instanceof Number n) {
        return n.longValue();
      }
    }
    return 0L;
  }

  private static long lsn(LocalPostgres pg, String db, String sql) throws Exception {
    return Long.parseUnsignedLong(value(pg, db, sql));
  }
}
