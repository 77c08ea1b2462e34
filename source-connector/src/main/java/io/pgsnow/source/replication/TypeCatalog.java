package io.pgsnow.source.replication;

import io.pgsnow.source.schema.PgType;
import io.pgsnow.source.schema.TypeResolver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pg_type} read from the database, so that enums, domains and arrays of user types map to
 * the right Connect types. Loaded at startup and reloaded when an unknown OID shows up (a type
 * created after the start).
 */
public final class TypeCatalog implements TypeResolver {
  private static final Logger LOG = LoggerFactory.getLogger(TypeCatalog.class);
  private static final String QUERY =
      "SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typelem, t.typbasetype,"
          + " (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)"
          + " FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)"
          + " FROM pg_catalog.pg_type t";

  private final PgConnections connections;
  private final Map<Integer, PgType> types = new ConcurrentHashMap<>();

  public TypeCatalog(PgConnections connections) {
    this.connections = connections;
  }

  public void load() throws SQLException {
    try (Connection c = connections.regular();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(QUERY)) {
      while (rs.next()) {
        PgType t =
            new PgType(
                (int) rs.getLong(1),
                rs.getString(2),
                rs.getString(3).charAt(0),
                rs.getString(4).charAt(0),
                (int) rs.getLong(5),
                (int) rs.getLong(6),
                rs.getString(7) == null ? List.of() : List.of(rs.getString(7).split(",", -1)));
        types.put(t.oid(), t);
      }
    }
    LOG.debug("Loaded {} types from pg_type", types.size());
  }

  @Override
  public Optional<PgType> lookup(int oid) {
    PgType t = types.get(oid);
    if (t == null && oid >= 16384) {
      try {
        load();
      } catch (SQLException e) {
        LOG.warn("Could not reload pg_type for OID {}; its columns keep their text form", oid, e);
      }
      t = types.get(oid);
    }
    return Optional.ofNullable(t);
  }
}
