package io.pgsnow.source;

import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.naming.TableNames;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.snapshot.SnapshotConfig;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of {@code validate()} that need the database: connectivity and credentials, {@code
 * wal_level}, the replication privilege, the publication (its existence, its tables and
 * operations), the slot (its plugin, database and whether another client streams from it), the
 * include list and the topics of the captured tables. Each error is reported against the config key
 * it is about.
 */
public final class ConnectionValidator {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionValidator.class);

  private final PostgresCdcSourceConfig config;
  private final BiConsumer<String, String> errors;

  /**
   * @param errors receives (config key, message) for each problem found
   */
  public ConnectionValidator(PostgresCdcSourceConfig config, BiConsumer<String, String> errors) {
    this.config = config;
    this.errors = errors;
  }

  public void validate() {
    PgConnections connections = new PgConnections(config.connectionOptions());
    try (Connection c = connections.regular()) {
      checkServer(c);
    } catch (SQLException e) {
      reportConnectionFailure(connections, e);
    }
  }

  private void checkServer(Connection c) throws SQLException {
    String walLevel = single(c, "SHOW wal_level");
    if (!"logical".equals(walLevel)) {
      errors.accept(
          PostgresCdcSourceConfig.HOSTNAME,
          "The server has wal_level="
              + walLevel
              + "; logical decoding needs wal_level=logical (set it in postgresql.conf and"
              + " restart the server)");
    }
    boolean superuser =
        "t".equals(single(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
    boolean replication =
        "t"
            .equals(
                single(
                    c,
                    "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user"));
    if (!replication) {
      errors.accept(
          PostgresCdcSourceConfig.USER,
          "User "
              + config.user()
              + " lacks the REPLICATION attribute: ALTER ROLE "
              + config.user()
              + " WITH REPLICATION");
    }
    checkPublication(c, superuser);
    checkSlot(c);
    checkIncludeList(c);
    checkTopics(c);
    checkSnapshotPrivileges(c);
  }

  /** A snapshot reads every table it copies: the user needs SELECT on each. */
  private void checkSnapshotPrivileges(Connection c) throws SQLException {
    SnapshotConfig snapshot = config.snapshot();
    if (snapshot.mode() == SnapshotConfig.Mode.NO_DATA) {
      return;
    }
    List<String> unreadable = new java.util.ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT has_table_privilege(c.oid, 'SELECT') FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
      for (ReplicationSetup.TableName t :
          ReplicationSetup.capturedTables(c, config.tableFilter())) {
        if (!snapshot.snapshots(t.schema(), t.table())
            || snapshot.signalTable().filter((t.schema() + "." + t.table())::equals).isPresent()) {
          continue;
        }
        ps.setString(1, t.schema());
        ps.setString(2, t.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && !rs.getBoolean(1)) {
            unreadable.add(t.toString());
          }
        }
      }
    }
    if (!unreadable.isEmpty()) {
      errors.accept(
          PostgresCdcSourceConfig.USER,
          "User "
              + config.user()
              + " lacks SELECT on "
              + String.join(", ", unreadable)
              + ", which snapshot.mode="
              + snapshot.mode().name().toLowerCase(java.util.Locale.ROOT)
              + " copies: GRANT SELECT ON "
              + String.join(", ", unreadable)
              + " TO "
              + config.user()
              + ", or leave them out with table.include.list or"
              + " snapshot.include.collection.list");
    }
  }

  private void checkPublication(Connection c, boolean superuser) throws SQLException {
    boolean exists = ReplicationSetup.publicationExists(c, config.publicationName());
    PublicationAutocreate mode = config.publicationAutocreate();
    if (!exists && mode == PublicationAutocreate.DISABLED) {
      errors.accept(
          PostgresCdcSourceConfig.PUBLICATION_NAME,
          "Publication "
              + config.publicationName()
              + " does not exist and publication.autocreate.mode=disabled: create it (CREATE"
              + " PUBLICATION "
              + ReplicationSetup.quote(config.publicationName())
              + " FOR TABLE ...), or set publication.autocreate.mode=filtered");
    }
    if (!exists && mode == PublicationAutocreate.ALL_TABLES && !superuser) {
      errors.accept(
          PostgresCdcSourceConfig.PUBLICATION_AUTOCREATE,
          "Creating a publication FOR ALL TABLES needs a superuser; use filtered or create the"
              + " publication beforehand");
    }
    for (PublicationCheck.Problem problem : PublicationCheck.problems(c, config)) {
      errors.accept(problem.key(), problem.message());
    }
  }

  private void checkSlot(Connection c) throws SQLException {
    Optional<ReplicationSetup.SlotInfo> slot = ReplicationSetup.slot(c, config.slotName());
    if (slot.isEmpty()) {
      return;
    }
    if (!"pgoutput".equals(slot.get().plugin())) {
      errors.accept(
          PostgresCdcSourceConfig.SLOT_NAME,
          "Slot "
              + config.slotName()
              + " exists with plugin "
              + slot.get().plugin()
              + ", not pgoutput: give this connector another slot.name, or drop the slot (SELECT"
              + " pg_drop_replication_slot('"
              + config.slotName()
              + "')) if nothing reads it");
    } else if (!config.dbname().equals(slot.get().database())) {
      errors.accept(
          PostgresCdcSourceConfig.SLOT_NAME,
          "Slot "
              + config.slotName()
              + " exists for database "
              + slot.get().database()
              + ", not "
              + config.dbname()
              + ": a slot decodes one database; give this connector another slot.name");
    }
    // The connector's own task holds its slot while its config is updated: that is no conflict.
    ReplicationSetup.heldByAnotherClient(c, config.slotName(), config.connectorName())
        .ifPresent(message -> errors.accept(PostgresCdcSourceConfig.SLOT_NAME, message));
  }

  private void checkIncludeList(Connection c) throws SQLException {
    List<Pattern> include = config.tableFilter().tableIncludePatterns();
    if (include.isEmpty()) {
      return;
    }
    List<ReplicationSetup.TableName> all =
        ReplicationSetup.capturedTables(
            c, new TableFilter(List.of(), List.of(), List.of(), List.of()));
    for (Pattern p : include) {
      boolean matches =
          all.stream().anyMatch(t -> p.matcher(t.schema() + "." + t.table()).matches());
      if (!matches) {
        errors.accept(
            PostgresCdcSourceConfig.TABLE_INCLUDE,
            "No table matches '"
                + p.pattern()
                + "' in database "
                + config.dbname()
                + " (patterns match schema.table, e.g. public.orders)");
      }
    }
  }

  /**
   * Two captured tables must not share a topic. Renamed tables are no error (Connect's validate has
   * no warnings); they are logged here and by the task, and the rule is documented.
   */
  private void checkTopics(Connection c) throws SQLException {
    TopicNamer namer = new TopicNamer(config.topicPrefix(), config.schemaNameAdjustment());
    List<TableNames> names =
        ReplicationSetup.capturedTables(c, config.tableFilter()).stream()
            .map(t -> namer.name(t.schema(), t.table()))
            .toList();
    for (TopicAssignments.Collision collision : TopicAssignments.collisions(names)) {
      errors.accept(PostgresCdcSourceConfig.TABLE_INCLUDE, collision.message());
    }
    String renamed =
        names.stream()
            .filter(TableNames::renamed)
            .map(n -> n.qualifiedName() + " -> " + n.topic())
            .collect(Collectors.joining(", "));
    if (!renamed.isEmpty()) {
      LOG.info(
          "Tables whose names Kafka topic names cannot hold go to topics with '{}' in place of"
              + " each such character: {}",
          TopicNamer.REPLACEMENT,
          renamed);
    }
  }

  /**
   * Puts a failed connection on the key to change, with what to do: the server's answer when it
   * gave one, otherwise the driver's view of the network or TLS.
   */
  private void reportConnectionFailure(PgConnections connections, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = "Cannot connect to " + connections.url() + ": " + e.getMessage();
    String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    switch (state) {
      case "28P01":
        errors.accept(
            PostgresCdcSourceConfig.PASSWORD,
            message + " (check database.user and database.password)");
        return;
      case "28000":
        errors.accept(
            PostgresCdcSourceConfig.USER,
            message
                + " (check database.user, and that pg_hba.conf lets it connect to database.dbname)");
        return;
      case "3D000":
        errors.accept(
            PostgresCdcSourceConfig.DBNAME,
            message + " (check database.dbname; psql -l lists the databases)");
        return;
      default:
        break;
    }
    if (text.contains("no password was provided")) {
      errors.accept(
          PostgresCdcSourceConfig.PASSWORD,
          message + " (set database.password, e.g. through a config provider)");
    } else if (text.contains("does not support ssl")) {
      errors.accept(
          PostgresCdcSourceConfig.SSLMODE,
          message
              + " (turn ssl on in the server's postgresql.conf, or set database.sslmode=prefer or"
              + " disable)");
    } else if (text.contains("hostname") && text.contains("could not be verified")) {
      errors.accept(
          PostgresCdcSourceConfig.HOSTNAME,
          message
              + " (with database.sslmode=verify-full, database.hostname must be a name in the"
              + " server's certificate; use that name, or verify-ca to check only the CA)");
    } else if (isCertificateProblem(e)) {
      errors.accept(
          PostgresCdcSourceConfig.SSLROOTCERT,
          message
              + " (database.sslrootcert must name a readable PEM file holding the certificate of"
              + " the CA that signed the server's certificate)");
    } else if (hasCause(e, UnknownHostException.class)) {
      errors.accept(
          PostgresCdcSourceConfig.HOSTNAME,
          message + " (unknown host " + config.hostname() + ": check database.hostname)");
    } else {
      String hint =
          " (check database.hostname and database.port, and that the server listens there)";
      errors.accept(PostgresCdcSourceConfig.HOSTNAME, message + hint);
      errors.accept(PostgresCdcSourceConfig.PORT, message + hint);
    }
  }

  private boolean isCertificateProblem(SQLException e) {
    if (config.sslmode().startsWith("verify")) {
      String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      return text.contains("certificate")
          || hasCause(e, javax.net.ssl.SSLException.class)
          || hasCause(e, java.security.GeneralSecurityException.class);
    }
    return false;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
