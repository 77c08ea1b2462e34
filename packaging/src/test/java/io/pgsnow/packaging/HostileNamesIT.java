package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schema, table and column names with quotes, dots, spaces, unicode, reserved words and text that
 * looks like SQL injection travel PostgreSQL → source → Kafka → sink → emulator: the source's
 * publication, snapshot and stream quote them, the sink creates its table, view and current-state
 * view under a hostile Snowflake name, and the rows read back equal PostgreSQL's, while the tables
 * the injection-looking names mention are untouched on both sides.
 */
class HostileNamesIT {
  private static final String DB = "hostile";
  private static final String PREFIX = "hn";
  private static final String SCHEMA = "we\"ird.schema";
  private static final String TABLE = "Robert'); DROP TABLE students;--";
  private static final String SNOWFLAKE_TABLE = "Robert'); DROP TABLE students;--";
  private static final String TYPED_TABLE = "select";
  private static final List<String> COLUMNS =
      List.of("select", "a.b", "with space", "quo\"te", "ünï cödé", "x'); DROP TABLE t; --");

  private static LocalPostgres pg;
  private static ConnectCluster connect;
  private static TestWarehouse warehouse;

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** The topic as the source names it: characters Kafka cannot hold become '_'. */
  private static String topic() {
    return String.join(
        ".",
        PREFIX,
        SCHEMA.replaceAll("[^a-zA-Z0-9._-]", "_"),
        TABLE.replaceAll("[^a-zA-Z0-9._-]", "_"));
  }

  @BeforeAll
  static void start() throws Exception {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    StringBuilder create =
        new StringBuilder("CREATE TABLE " + quoted(SCHEMA) + "." + quoted(TABLE) + " (id int");
    for (String column : COLUMNS) {
      create.append(", ").append(quoted(column)).append(" text");
    }
    create.append(", PRIMARY KEY (id))");
    pg.executeIn(
        DB,
        "CREATE SCHEMA " + quoted(SCHEMA),
        create.toString(),
        "CREATE TABLE students (id int PRIMARY KEY)",
        "CREATE TABLE t (id int PRIMARY KEY)");
    insert(1);
    connect = PluginArchives.sharedCluster();
    connect.kafka().createTopic(topic(), 1);
    warehouse = new TestWarehouse();
    try (Connection c = warehouse.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE KAFKA_DB.PUBLIC.STUDENTS (ID NUMBER)");
      s.execute("CREATE TABLE KAFKA_DB.PUBLIC.T (ID NUMBER)");
    }
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (warehouse != null) {
      warehouse.close();
    }
  }

  /** A row whose every text value repeats its column's name, so a swapped column shows. */
  private static void insert(int id) throws SQLException {
    StringBuilder sql =
        new StringBuilder("INSERT INTO " + quoted(SCHEMA) + "." + quoted(TABLE) + " VALUES (?");
    COLUMNS.forEach(c -> sql.append(", ?"));
    sql.append(")");
    try (Connection c = pg.connect(DB);
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setInt(1, id);
      for (int i = 0; i < COLUMNS.size(); i++) {
        ps.setString(i + 2, COLUMNS.get(i) + " #" + id);
      }
      ps.executeUpdate();
    }
  }

  private static Map<String, String> source() {
    Map<String, String> config = PluginArchives.sourceConfig(pg, DB, PREFIX);
    config.remove("transforms");
    config.put("value.converter.schemas.enable", "true");
    // A regex over the hostile name; the connector creates the publication for it.
    config.put("table.include.list", ".*Robert.*");
    config.put("publication.autocreate.mode", "filtered");
    return config;
  }

  private static Map<String, String> sink() {
    Map<String, String> config =
        warehouse.sinkConfig(topic(), topic() + ":" + quoted(SNOWFLAKE_TABLE));
    config.put("snowflake.model.views", "true");
    config.put("snowflake.model.current_state", "view");
    config.put("buffer.flush.time", "2");
    config.put("snowflake.load.check.interval.ms", "500");
    return config;
  }

  /** Unwrapped rows into a table named by a reserved word, one typed column per field. */
  private static Map<String, String> typedSink() {
    Map<String, String> config = warehouse.sinkConfig(topic(), topic() + ":" + quoted(TYPED_TABLE));
    config.put("transforms", "unwrap");
    config.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    config.put("snowflake.enable.schematization", "true");
    config.put("buffer.flush.time", "2");
    config.put("snowflake.load.check.interval.ms", "500");
    return config;
  }

  @Test
  void hostileNamesArriveQuotedAndInjectNothing() throws Exception {
    connect.createConnector("hn-source", source());
    connect.createConnector("hn-sink", sink());
    connect.createConnector("hn-sink-typed", typedSink());
    connect.awaitRunning("hn-source", 1, Duration.ofSeconds(60));
    connect.awaitRunning("hn-sink", 1, Duration.ofSeconds(60));
    connect.awaitRunning("hn-sink-typed", 1, Duration.ofSeconds(60));
    List<Map<String, String>> snapshot = postgresRows();
    pg.awaitSlotActive(DB, PREFIX + "_slot");
    insert(2);
    pg.executeIn(
        DB,
        "UPDATE "
            + quoted(SCHEMA)
            + "."
            + quoted(TABLE)
            + " SET "
            + quoted("quo\"te")
            + " = 'it''s \"changed\"' WHERE id = 1");

    List<Map<String, String>> expected = postgresRows();
    assertThat(expected).hasSize(2);
    Awaitility.await("the current state of " + SNOWFLAKE_TABLE)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(snowflakeRows()).isEqualTo(expected));
    // The typed table is the log: the first version of row 1, row 2 and the updated row 1.
    List<Map<String, String>> log = new ArrayList<>(snapshot);
    log.add(expected.get(1));
    log.add(expected.get(0));
    Awaitility.await("the typed rows of " + TYPED_TABLE)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(typedRows()).containsExactlyInAnyOrderElementsOf(log));
    assertThat(connect.failedTaskTrace("hn-source")).isEmpty();
    assertThat(connect.failedTaskTrace("hn-sink")).isEmpty();
    assertThat(connect.failedTaskTrace("hn-sink-typed")).isEmpty();

    // What the injection-looking names mention is still there.
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename IN ('students', 't')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
    try (Connection c = warehouse.connect();
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM STUDENTS").close();
      s.executeQuery("SELECT COUNT(*) FROM T").close();
    }
  }

  /** The rows by PostgreSQL column name, ordered by id. */
  private static List<Map<String, String>> postgresRows() throws SQLException {
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT * FROM " + quoted(SCHEMA) + "." + quoted(TABLE) + " ORDER BY id")) {
      return rows(rs, false);
    }
  }

  /**
   * The current-state view's rows, by column name as the sink names them: a name that is a valid
   * unquoted Snowflake identifier once upper-cased (and no reserved word) is upper-cased, any other
   * is kept as it is, quoted.
   */
  private static List<Map<String, String>> snowflakeRows() throws SQLException {
    try (Connection c = warehouse.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT * FROM " + quoted(SNOWFLAKE_TABLE + "_CURRENT") + " ORDER BY ID")) {
      return rows(rs, true);
    }
  }

  /** The schematized table's rows; its columns are matched to PostgreSQL's ignoring case. */
  private static List<Map<String, String>> typedRows() throws SQLException {
    try (Connection c = warehouse.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + quoted(TYPED_TABLE))) {
      return rows(rs, true, true);
    }
  }

  private static List<Map<String, String>> rows(ResultSet rs, boolean snowflake)
      throws SQLException {
    return rows(rs, snowflake, false);
  }

  private static List<Map<String, String>> rows(
      ResultSet rs, boolean snowflake, boolean ignoringCase) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<Map<String, String>> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("id", Integer.toString(rs.getInt(snowflake ? "ID" : "id")));
      for (String column : COLUMNS) {
        String name = snowflake ? snowflakeName(column) : column;
        int index = -1;
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String label = meta.getColumnLabel(i);
          if (ignoringCase ? label.equalsIgnoreCase(column) : label.equals(name)) {
            index = i;
          }
        }
        assertThat(index).as("column %s", name).isPositive();
        row.put(column, rs.getString(index));
      }
      rows.add(row);
    }
    return rows;
  }

  private static String snowflakeName(String column) {
    return column.equals("select") ? "SELECT" : column;
  }
}
