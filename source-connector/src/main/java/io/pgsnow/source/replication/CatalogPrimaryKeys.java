package io.pgsnow.source.replication;

import io.pgsnow.source.events.PrimaryKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.errors.RetriableException;

/** Reads primary keys from {@code pg_index}; used only for REPLICA IDENTITY FULL tables. */
public final class CatalogPrimaryKeys implements PrimaryKeys {
  private static final String QUERY =
      "SELECT a.attname FROM pg_catalog.pg_index i"
          + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
          + " WHERE i.indrelid = ? AND i.indisprimary"
          + " ORDER BY array_position(i.indkey::int2[], a.attnum)";

  private final PgConnections connections;

  public CatalogPrimaryKeys(PgConnections connections) {
    this.connections = connections;
  }

  @Override
  public List<String> of(int relationId) {
    try (Connection c = connections.regular();
        PreparedStatement ps = c.prepareStatement(QUERY)) {
      ps.setLong(1, Integer.toUnsignedLong(relationId));
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      return columns;
    } catch (SQLException e) {
      throw new RetriableException("Cannot read the primary key of relation " + relationId, e);
    }
  }
}
