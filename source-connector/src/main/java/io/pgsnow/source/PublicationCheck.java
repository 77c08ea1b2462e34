package io.pgsnow.source;

import io.pgsnow.source.config.Operation;
import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds what in an existing publication would make the connector miss changes, or fail to start:
 * included tables it does not publish (where the connector does not set its table list itself),
 * operations it does not publish, and a table list the filtered mode cannot set.
 */
public final class PublicationCheck {
  private static final int MAX_LISTED_TABLES = 10;

  /** A problem and the config key it is about. */
  public record Problem(String key, String message) {}

  /**
   * An existing publication as the catalog shows it. {@code truncate} is null before PostgreSQL 11,
   * which cannot publish truncates; {@code owned} tells whether the user may alter it.
   */
  public record State(
      boolean allTables,
      boolean insert,
      boolean update,
      boolean delete,
      Boolean truncate,
      boolean owned,
      String owner,
      Set<TableName> tables) {}

  private PublicationCheck() {}

  /** The problems of the connector's publication; none when it does not exist (yet). */
  public static List<Problem> problems(Connection c, PostgresCdcSourceConfig config)
      throws SQLException {
    Optional<State> state = read(c, config.publicationName());
    if (state.isEmpty()) {
      return List.of();
    }
    List<TableName> captured = new ArrayList<>();
    Set<TableName> partitioned = partitionedTables(c);
    for (TableName t : ReplicationSetup.capturedTables(c, config.tableFilter())) {
      // A partitioned table is published through its partitions; it is not checked here.
      if (!partitioned.contains(t)) {
        captured.add(t);
      }
    }
    return problems(config, state.get(), captured);
  }

  /** The problems of {@code publication} for a connector capturing {@code captured}. */
  public static List<Problem> problems(
      PostgresCdcSourceConfig config, State publication, List<TableName> captured) {
    List<Problem> problems = new ArrayList<>();
    String name = config.publicationName();
    if (config.publicationAutocreate() == PublicationAutocreate.FILTERED) {
      if (publication.allTables()) {
        problems.add(
            new Problem(
                PostgresCdcSourceConfig.PUBLICATION_AUTOCREATE,
                "Publication "
                    + name
                    + " is FOR ALL TABLES, whose table list PostgreSQL cannot change, and"
                    + " publication.autocreate.mode=filtered sets the table list at start: use"
                    + " all_tables (the connector keeps only the included tables) or another"
                    + " publication.name"));
      } else if (!publication.owned()) {
        problems.add(
            new Problem(
                PostgresCdcSourceConfig.PUBLICATION_NAME,
                "Publication "
                    + name
                    + " belongs to role "
                    + publication.owner()
                    + ", and publication.autocreate.mode=filtered sets its table list at start,"
                    + " which only its owner may do: ALTER PUBLICATION "
                    + ReplicationSetup.quote(name)
                    + " OWNER TO "
                    + ReplicationSetup.quote(config.user())
                    + ", or use publication.autocreate.mode=disabled and keep its table list"
                    + " yourself"));
      }
    } else if (!publication.allTables() && !config.tableFilter().tableIncludePatterns().isEmpty()) {
      List<TableName> missing =
          captured.stream().filter(t -> !publication.tables().contains(t)).toList();
      if (!missing.isEmpty()) {
        problems.add(
            new Problem(
                PostgresCdcSourceConfig.PUBLICATION_NAME,
                "Publication "
                    + name
                    + " does not publish "
                    + listed(missing)
                    + ", which table.include.list captures: their changes would never arrive."
                    + " Add them (ALTER PUBLICATION "
                    + ReplicationSetup.quote(name)
                    + " ADD TABLE "
                    + missing.stream().map(TableName::quoted).collect(Collectors.joining(", "))
                    + "), set publication.autocreate.mode=filtered so that the connector keeps"
                    + " the table list, or narrow table.include.list"));
      }
    }
    operations(config, publication).ifPresent(problems::add);
    return problems;
  }

  private static Optional<Problem> operations(PostgresCdcSourceConfig config, State publication) {
    Set<Operation> skipped = config.skippedOperations();
    List<String> unpublished = new ArrayList<>();
    if (!publication.insert() && !skipped.contains(Operation.CREATE)) {
      unpublished.add("inserts");
    }
    if (!publication.update() && !skipped.contains(Operation.UPDATE)) {
      unpublished.add("updates");
    }
    if (!publication.delete() && !skipped.contains(Operation.DELETE)) {
      unpublished.add("deletes");
    }
    if (Boolean.FALSE.equals(publication.truncate()) && !skipped.contains(Operation.TRUNCATE)) {
      unpublished.add("truncates");
    }
    if (unpublished.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            PostgresCdcSourceConfig.PUBLICATION_NAME,
            "Publication "
                + config.publicationName()
                + " does not publish "
                + String.join(", ", unpublished)
                + ", so they would never arrive: ALTER PUBLICATION "
                + ReplicationSetup.quote(config.publicationName())
                + " SET (publish = 'insert, update, delete"
                + (publication.truncate() == null ? "" : ", truncate")
                + "'), or list them in skipped.operations if they are not wanted"));
  }

  private static String listed(List<TableName> tables) {
    String names =
        tables.stream()
            .limit(MAX_LISTED_TABLES)
            .map(TableName::toString)
            .collect(Collectors.joining(", "));
    int more = tables.size() - MAX_LISTED_TABLES;
    return (tables.size() == 1 ? "table " : "tables ")
        + names
        + (more > 0 ? " and " + more + " more" : "");
  }

  /** The publication's settings and tables, if it exists. */
  public static Optional<State> read(Connection c, String publication) throws SQLException {
    State settings;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete,"
                + " (to_jsonb(p) ->> 'pubtruncate')::boolean,"
                + " pg_catalog.pg_has_role(p.pubowner, 'USAGE'), r.rolname"
                + " FROM pg_catalog.pg_publication p"
                + " JOIN pg_catalog.pg_roles r ON r.oid = p.pubowner WHERE p.pubname = ?")) {
      ps.setString(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        boolean truncate = rs.getBoolean(5);
        settings =
            new State(
                rs.getBoolean(1),
                rs.getBoolean(2),
                rs.getBoolean(3),
                rs.getBoolean(4),
                rs.wasNull() ? null : truncate,
                rs.getBoolean(6),
                rs.getString(7),
                Set.of());
      }
    }
    Set<TableName> tables = new HashSet<>();
    // The tables it publishes, and the tables named in it (a partitioned one shows as itself).
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT schemaname, tablename FROM pg_catalog.pg_publication_tables WHERE pubname = ?"
                + " UNION SELECT n.nspname, c.relname FROM pg_catalog.pg_publication_rel pr"
                + " JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid"
                + " JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE p.pubname = ?")) {
      ps.setString(1, publication);
      ps.setString(2, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(new TableName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return Optional.of(
        new State(
            settings.allTables(),
            settings.insert(),
            settings.update(),
            settings.delete(),
            settings.truncate(),
            settings.owned(),
            settings.owner(),
            Set.copyOf(tables)));
  }

  private static Set<TableName> partitionedTables(Connection c) throws SQLException {
    Set<TableName> tables = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'p'")) {
      while (rs.next()) {
        tables.add(new TableName(rs.getString(1), rs.getString(2)));
      }
    }
    return tables;
  }
}
