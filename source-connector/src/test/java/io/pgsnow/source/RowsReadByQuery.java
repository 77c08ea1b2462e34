package io.pgsnow.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.events.ChangeEventBuilder;
import io.pgsnow.source.events.TableSchema;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.TypeCatalog;
import io.pgsnow.source.schema.ColumnTypes;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Reads a table's rows with a query, in text as a snapshot does, and encodes them through the same
 * code path as streamed changes ({@link ChangeEventBuilder#row} with the connector's {@link
 * ColumnTypes}), giving the {@code after} image as the JSON converter writes it.
 */
final class RowsReadByQuery {
  private final LocalPostgres pg;
  private final String database;
  private final String table;
  private final TableSchema schema;
  private final JsonConverter converter = new JsonConverter();

  RowsReadByQuery(LocalPostgres pg, Map<String, String> connectorConfig, String table)
      throws Exception {
    this.pg = pg;
    this.table = table;
    PostgresCdcSourceConfig config = new PostgresCdcSourceConfig(connectorConfig);
    this.database = config.dbname();
    TypeCatalog types = new TypeCatalog(new PgConnections(config.connectionOptions()));
    types.load();
    List<PgOutputMessage.Column> columns = new ArrayList<>();
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT attname, atttypid, atttypmod FROM pg_attribute WHERE attrelid = '"
                    + table
                    + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
      while (rs.next()) {
        String name = rs.getString(1);
        columns.add(
            new PgOutputMessage.Column("id".equals(name), name, (int) rs.getLong(2), rs.getInt(3)));
      }
    }
    this.schema =
        TableSchema.of(
            new PgOutputMessage.Relation(0, 1, "public", table, 'd', columns),
            config.topicPrefix(),
            new ColumnTypes(config.decimalHandling(), config.typeOptions(), types),
            relationId -> List.of("id"));
    converter.configure(Map.of("schemas.enable", "false"), false);
  }

  /** The row with key {@code id} as its {@code after} image. */
  JsonNode row(int id) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", LocalPostgres.SUPERUSER);
    props.setProperty("password", LocalPostgres.PASSWORD);
    props.setProperty("options", PgConnections.SESSION_OPTIONS);
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), props);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE id = " + id)) {
      rs.next();
      int count = rs.getMetaData().getColumnCount();
      byte[] kinds = new byte[count];
      byte[][] values = new byte[count][];
      for (int i = 0; i < count; i++) {
        String text = rs.getString(i + 1);
        kinds[i] = text == null ? TupleData.NULL : TupleData.TEXT;
        values[i] = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
      }
      Struct row = ChangeEventBuilder.row(schema, new TupleData(kinds, values), null).struct();
      byte[] json = converter.fromConnectData("t", schema.rowSchema(), row);
      return SourceItSupport.JSON.readTree(json);
    }
  }
}
