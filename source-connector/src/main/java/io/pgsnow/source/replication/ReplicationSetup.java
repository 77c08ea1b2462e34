package io.pgsnow.source.replication;

import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.naming.TableNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates or checks the publication and the replication slot the stream reads from. */
public final class ReplicationSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationSetup.class);
  private static final String CAPTURABLE_TABLES =
      "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
          + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
          + " ORDER BY 1, 2";

  /** A slot's state as {@code pg_replication_slots} shows it. */
  public record SlotInfo(
      String plugin, String database, Integer activePid, Long confirmedFlushLsn) {}

  /** A schema-qualified table name. */
  public record TableName(String schema, String table) {
    public String quoted() {
      return quote(schema) + "." + quote(table);
    }

    /** As PostgreSQL prints it: quoted only where SQL needs it. */
    @Override
    public String toString() {
      return TableNames.qualifiedName(schema, table);
    }
  }

  /** The session that holds a slot active, as {@code pg_stat_activity} shows it. */
  public record SlotHolder(int pid, String applicationName, String user, String clientAddress) {}

  private ReplicationSetup() {}

  public static int serverVersionNum(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1));
    }
  }

  /** Every table a publication could include, filtered by the connector's lists. */
  public static List<TableName> capturedTables(Connection c, TableFilter filter)
      throws SQLException {
    List<TableName> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(CAPTURABLE_TABLES)) {
      while (rs.next()) {
        if (filter.includes(rs.getString(1), rs.getString(2))) {
          tables.add(new TableName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return tables;
  }

  public static boolean publicationExists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Creates the publication, or sets its tables, as {@code mode} says. */
  public static void ensurePublication(
      Connection c, String name, PublicationAutocreate mode, TableFilter filter)
      throws SQLException {
    boolean exists = publicationExists(c, name);
    try (Statement s = c.createStatement()) {
      switch (mode) {
        case DISABLED:
          if (!exists) {
            throw new ConnectException(
                "Publication "
                    + name
                    + " does not exist and publication.autocreate.mode=disabled; create it or"
                    + " change the mode");
          }
          break;
        case ALL_TABLES:
          if (!exists) {
            s.execute("CREATE PUBLICATION " + quote(name) + " FOR ALL TABLES");
            LOG.info("Created publication {} for all tables", name);
          }
          break;
        default:
          List<TableName> tables = capturedTables(c, filter);
          String list = tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
          if (!exists) {
            s.execute(
                "CREATE PUBLICATION "
                    + quote(name)
                    + (tables.isEmpty() ? "" : " FOR TABLE " + list));
          } else if (!tables.isEmpty()) {
            s.execute("ALTER PUBLICATION " + quote(name) + " SET TABLE " + list);
          }
          LOG.info("Publication {} covers {} tables: {}", name, tables.size(), list);
      }
    }
  }

  public static Optional<SlotInfo> slot(Connection c, String slotName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT plugin, database, active_pid,"
                + " (confirmed_flush_lsn - '0/0'::pg_lsn)::numeric::text"
                + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int pid = rs.getInt(3);
        Integer activePid = rs.wasNull() ? null : pid;
        String lsn = rs.getString(4);
        return Optional.of(
            new SlotInfo(
                rs.getString(1),
                rs.getString(2),
                activePid,
                lsn == null ? null : Long.parseUnsignedLong(lsn)));
      }
    }
  }

  /** The session streaming from the slot, if any. */
  public static Optional<SlotHolder> slotHolder(Connection c, String slotName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.active_pid, a.application_name, a.usename, host(a.client_addr)"
                + " FROM pg_catalog.pg_replication_slots s"
                + " LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = s.active_pid"
                + " WHERE s.slot_name = ? AND s.active_pid IS NOT NULL")) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new SlotHolder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
  }

  /**
   * Why this connector cannot stream from the slot now, if another client does: a session that is
   * not one of the connector's own (those carry its {@link PgConnections#applicationName}, and may
   * be the previous session of a restarted task, which lets go of the slot by itself).
   */
  public static Optional<String> heldByAnotherClient(
      Connection c, String slotName, String connectorName) throws SQLException {
    String ours = PgConnections.applicationName(connectorName);
    return slotHolder(c, slotName)
        .filter(h -> !ours.equals(h.applicationName()))
        .map(h -> slotInUse(slotName, h));
  }

  private static String slotInUse(String slotName, SlotHolder h) {
    return "Slot "
        + slotName
        + " is in use by another client (pid "
        + h.pid()
        + (h.applicationName() == null || h.applicationName().isEmpty()
            ? ""
            : ", application_name '" + h.applicationName() + "'")
        + (h.user() == null ? "" : ", user " + h.user())
        + (h.clientAddress() == null ? "" : ", from " + h.clientAddress())
        + "), and a slot streams to one client at a time: give this connector its own"
        + " slot.name, or stop that client first (for a leftover session: SELECT"
        + " pg_terminate_backend("
        + h.pid()
        + "))";
  }

  /** Creates the slot when missing and checks that an existing one fits. */
  public static SlotInfo ensureSlot(Connection c, String slotName, String database)
      throws SQLException {
    Optional<SlotInfo> existing = slot(c, slotName);
    if (existing.isPresent()) {
      SlotInfo info = existing.get();
      if (!"pgoutput".equals(info.plugin())) {
        throw new ConnectException(
            "Replication slot " + slotName + " uses plugin " + info.plugin() + ", not pgoutput");
      }
      if (!database.equals(info.database())) {
        throw new ConnectException(
            "Replication slot " + slotName + " belongs to database " + info.database());
      }
      return info;
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
      ps.setString(1, slotName);
      ps.execute();
    }
    LOG.info("Created logical replication slot {}", slotName);
    return slot(c, slotName).orElseThrow();
  }

  public static void dropSlot(Connection c, String slotName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots"
                + " WHERE slot_name = ?")) {
      ps.setString(1, slotName);
      ps.execute();
    }
    LOG.info("Dropped replication slot {}", slotName);
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
