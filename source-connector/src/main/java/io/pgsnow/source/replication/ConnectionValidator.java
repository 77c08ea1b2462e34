package io.pgsnow.source.replication;

import io.pgsnow.source.PostgresCdcSourceConfig;
import io.pgsnow.source.PostgresCdcSourceConfig.PublicationAutocreate;
import io.pgsnow.source.naming.TableNames;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.snapshot.SnapshotConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
    PgConnections connections = new PgConnections(config);
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
              + " does not exist and publication.autocreate.mode=disabled");
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
              + ", not pgoutput");
    } else if (!config.dbname().equals(slot.get().database())) {
      errors.accept(
          PostgresCdcSourceConfig.SLOT_NAME,
          "Slot " + config.slotName() + " exists for database " + slot.get().database());
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
            c, new io.pgsnow.source.TableFilter(List.of(), List.of(), List.of(), List.of()));
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

  private void reportConnectionFailure(PgConnections connections, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = "Cannot connect to " + connections.url() + ": " + e.getMessage();
    switch (state) {
      case "28P01":
        errors.accept(PostgresCdcSourceConfig.PASSWORD, message);
        break;
      case "28000":
        errors.accept(PostgresCdcSourceConfig.USER, message);
        break;
      case "3D000":
        errors.accept(PostgresCdcSourceConfig.DBNAME, message);
        break;
      default:
        errors.accept(PostgresCdcSourceConfig.HOSTNAME, message);
        errors.accept(PostgresCdcSourceConfig.PORT, message);
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
