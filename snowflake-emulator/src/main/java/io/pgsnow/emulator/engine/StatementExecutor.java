package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.auth.UserDirectory;
import io.pgsnow.emulator.sql.IdentifierBinding;
import io.pgsnow.emulator.sql.MergeStatement;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.SqlLexer;
import io.pgsnow.emulator.sql.Statement;
import io.pgsnow.emulator.sql.Statement.Sql;
import io.pgsnow.emulator.sql.StatementParser;
import io.pgsnow.emulator.stage.StageStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one Snowflake statement for a session and returns its wire-form result. */
public final class StatementExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(StatementExecutor.class);

  private final CatalogCommands catalog;
  private final ShowCommands show;
  private final StageCommands stageCommands;
  private final LoadMetadata loadMetadata;
  private final PipeStatus pipeStatus;
  private final SessionNamespace namespace;
  private final AccessChecks access;

  /**
   * Statements that change the catalog. Snowflake runs each atomically: two sessions that send
   * {@code CREATE TABLE IF NOT EXISTS t} at once both succeed, one creating the table. DuckDB's
   * catalog is not checked and changed in one step here, so these statements run one at a time.
   */
  private static final Set<Class<? extends Statement>> CATALOG_CHANGES =
      Set.of(
          Statement.DatabaseObjectDdl.class,
          Statement.CreateTable.class,
          Statement.AddColumns.class,
          Statement.CreateView.class,
          Statement.CreateDynamicTable.class,
          Statement.DropObject.class,
          Statement.CreateStage.class,
          Statement.CreatePipe.class,
          Statement.Truncate.class,
          Statement.UserDdl.class,
          Statement.CreateRole.class,
          Statement.GrantRole.class,
          Statement.GrantPrivileges.class);

  private final Object catalogChange = new Object();

  public StatementExecutor(
      Warehouse warehouse,
      StageStore stages,
      UserDirectory users,
      DynamicTables dynamicTables,
      ToIntFunction<String> pendingFiles) {
    this.pipeStatus = new PipeStatus(warehouse.metadata(), pendingFiles);
    this.catalog = new CatalogCommands(warehouse, users, dynamicTables);
    this.show = new ShowCommands(warehouse);
    this.stageCommands = new StageCommands(warehouse, stages);
    this.loadMetadata = new LoadMetadata(warehouse);
    this.namespace = new SessionNamespace(warehouse);
    this.access = new AccessChecks(new AccessControl(), warehouse, users);
    registerHandlers();
  }

  /**
   * The role a session of {@code user} starts with: the connection's {@code role} (empty when the
   * user may not use it), else the user's default role, else SYSADMIN.
   */
  public Optional<String> loginRole(String user, String requestedRole) {
    return access.access().loginRole(user, requestedRole);
  }

  /** Whether {@code user}'s Snowpipe REST calls may use {@code pipe} (qualified). */
  public boolean mayCallPipe(String user, io.pgsnow.emulator.sql.ObjectName pipe) {
    return access.access().mayCallPipe(user, pipe);
  }

  /**
   * Sets the session's starting database and schema if they exist and its role may use them, as a
   * login does.
   */
  public void useInitial(SessionState s, String database, String schema) {
    try {
      if (database != null && !database.isBlank()) {
        Statement.Use db =
            new Statement.Use("DATABASE", io.pgsnow.emulator.sql.ObjectName.parse(database));
        access.before(s, db);
        catalog.use(s, db);
        if (schema != null && !schema.isBlank()) {
          Statement.Use sch =
              new Statement.Use("SCHEMA", io.pgsnow.emulator.sql.ObjectName.parse(schema));
          access.before(s, sch);
          catalog.use(s, sch);
        }
      }
    } catch (SQLException | SnowflakeSqlException e) {
      LOG.debug("Initial database/schema not usable: {}", e.getMessage());
    }
  }

  public QueryResult execute(SessionState session, String sql, List<BindValue> binds) {
    List<String> texts = new ArrayList<>();
    for (BindValue b : binds) {
      texts.add(b.array() ? null : b.text(0));
    }
    IdentifierBinding.Result resolved = IdentifierBinding.apply(SqlLexer.tokenize(sql), texts);
    List<BindValue> remaining = new ArrayList<>();
    for (int i = 0; i < binds.size(); i++) {
      if (!resolved.consumedBinds().contains(i + 1)) {
        remaining.add(binds.get(i));
      }
    }
    synchronized (session) {
      try {
        Statement statement = StatementParser.parse(sql, resolved.tokens(), session.values());
        if (CATALOG_CHANGES.contains(statement.getClass())) {
          synchronized (catalogChange) {
            return dispatch(session, statement, remaining);
          }
        }
        return dispatch(session, statement, remaining);
      } catch (SQLException e) {
        throw namespace.explain(session, resolved.tokens(), DuckDbErrors.translate(e));
      } catch (SnowflakeSqlException e) {
        throw namespace.explain(session, resolved.tokens(), e);
      }
    }
  }

  /** Runs one statement kind. */
  private interface Handler<T extends Statement> {
    QueryResult run(SessionState s, T statement, List<BindValue> binds) throws SQLException;
  }

  private final Map<Class<?>, Handler<?>> handlers = new HashMap<>();

  private <T extends Statement> void on(Class<T> type, Handler<T> handler) {
    handlers.put(type, handler);
  }

  private void registerHandlers() {
    on(Sql.class, this::runSql);
    on(Statement.DatabaseObjectDdl.class, (s, st, b) -> catalog.databaseObject(s, st));
    on(Statement.Use.class, this::use);
    on(Statement.CreateRole.class, (s, st, b) -> access.createRole(s, st));
    on(Statement.GrantRole.class, (s, st, b) -> access.grantRole(s, st));
    on(Statement.GrantPrivileges.class, (s, st, b) -> access.grantPrivileges(s, st));
    on(Statement.CreateTable.class, (s, st, b) -> catalog.createTable(s, st));
    on(Statement.AddColumns.class, (s, st, b) -> catalog.addColumns(s, st));
    on(Statement.CreateView.class, (s, st, b) -> catalog.createView(s, st));
    on(Statement.CreateDynamicTable.class, (s, st, b) -> catalog.createDynamicTable(s, st));
    on(
        Statement.RefreshDynamicTable.class,
        (s, st, b) -> catalog.refreshDynamicTable(s, st.name()));
    on(Statement.DropObject.class, this::drop);
    on(Statement.Show.class, (s, st, b) -> show.show(s, st));
    on(Statement.Describe.class, (s, st, b) -> describe(s, st));
    on(Statement.UserDdl.class, this::user);
    on(Statement.Accepted.class, (s, st, b) -> QueryResult.status(st.message()));
    on(Statement.CreateStage.class, (s, st, b) -> stageCommands.createStage(s, st));
    on(Statement.CreatePipe.class, (s, st, b) -> stageCommands.createPipe(s, st));
    on(Statement.ListStage.class, (s, st, b) -> stageCommands.list(s, st));
    on(Statement.RemoveStage.class, (s, st, b) -> stageCommands.remove(s, st));
    on(Statement.Put.class, (s, st, b) -> stageCommands.put(s, st));
    on(Statement.Get.class, (s, st, b) -> stageCommands.get(s, st));
    on(Statement.CopyInto.class, (s, st, b) -> stageCommands.copy(s, st));
    on(Statement.Truncate.class, (s, st, b) -> loadMetadata.truncate(s, st));
  }

  @SuppressWarnings("unchecked")
  private QueryResult dispatch(SessionState s, Statement st, List<BindValue> binds)
      throws SQLException {
    Handler<Statement> handler = (Handler<Statement>) handlers.get(st.getClass());
    if (handler == null) {
      throw new SnowflakeSqlException(
          SnowflakeSqlException.UNSUPPORTED,
          "0A000",
          "Unsupported statement: " + st.getClass().getSimpleName());
    }
    boolean existed = access.createsOver(s, st);
    access.before(s, st);
    QueryResult result = handler.run(s, st, binds);
    access.after(s, st, existed);
    return result;
  }

  private QueryResult use(SessionState s, Statement.Use use, List<BindValue> binds)
      throws SQLException {
    if (use.kind().equals("ROLE")) {
      access.access().useRole(s, use.name().name());
      return QueryResult.status("Statement executed successfully.");
    }
    return catalog.use(s, use);
  }

  private QueryResult user(SessionState s, Statement.UserDdl ddl, List<BindValue> binds) {
    // the role first: a missing one fails the statement before it changes the user
    ddl.defaultRole().ifPresent(r -> access.access().setDefaultRole(s, ddl.user().name(), r));
    return catalog.user(ddl);
  }

  private QueryResult drop(SessionState s, Statement.DropObject drop, List<BindValue> binds)
      throws SQLException {
    return drop.kind().equals("STAGE") || drop.kind().equals("PIPE")
        ? stageCommands.dropStageOrPipe(s, drop.kind(), drop.name(), drop.ifExists())
        : catalog.drop(s, drop);
  }

  private QueryResult describe(SessionState s, Statement.Describe d) throws SQLException {
    return switch (d.kind()) {
      case "STAGE" -> stageCommands.describeStage(s, d.name());
      case "PIPE" -> stageCommands.describePipe(s, d.name());
      default -> catalog.describeTable(s, d);
    };
  }

  /** Checks the statement's names as Snowflake resolves them; returns the DuckDB SQL to run. */
  private static String prepareSql(SessionState s, Sql sql) throws SQLException {
    switch (sql.kind()) {
      case INSERT, UPDATE, DELETE -> DmlIdentifiers.check(s.connection(), sql.duckSql());
      default -> {}
    }
    return sql.kind() == Statement.SqlKind.INSERT
        ? TimestampTzInserts.rewrite(s.connection(), sql.duckSql())
        : sql.duckSql();
  }

  private QueryResult runSql(SessionState s, Sql sql, List<BindValue> binds) throws SQLException {
    ExactIdentifiers.ResultHints hints =
        sql.kind() == Statement.SqlKind.QUERY
            ? ExactIdentifiers.check(s.connection(), sql.duckSql())
            : ExactIdentifiers.ResultHints.NONE;
    String duckSql = pipeStatus.resolve(s, prepareSql(s, sql));
    LOG.debug("DuckDB SQL: {}", duckSql);
    if (sql.kind() == Statement.SqlKind.MERGE) {
      return merge(s, duckSql, binds);
    }
    int rows = binds.isEmpty() ? 1 : binds.get(0).rows();
    try (PreparedStatement ps = s.connection().prepareStatement(duckSql)) {
      if (sql.kind() == Statement.SqlKind.QUERY) {
        bindRow(ps, binds, 0);
        try (ResultSet rs = ps.executeQuery()) {
          return encode(rs, hints, sql.labels());
        }
      }
      long count = 0;
      for (int row = 0; row < rows; row++) {
        bindRow(ps, binds, row);
        count += ps.executeUpdate();
      }
      return switch (sql.kind()) {
        case INSERT -> QueryResult.dmlCount("number of rows inserted", count, QueryResult.INSERT);
        case UPDATE -> QueryResult.dmlCount("number of rows updated", count, QueryResult.UPDATE);
        case DELETE -> QueryResult.dmlCount("number of rows deleted", count, QueryResult.DELETE);
        default -> QueryResult.status("Statement executed successfully.");
      };
    }
  }

  /**
   * A MERGE answers one count per kind of clause it has (inserted, updated, deleted), as Snowflake
   * does; DuckDB's {@code RETURNING merge_action} tells the rows apart.
   */
  private static QueryResult merge(SessionState s, String duckSql, List<BindValue> binds)
      throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (PreparedStatement ps =
        s.connection().prepareStatement(duckSql + " RETURNING merge_action")) {
      bindRow(ps, binds, 0);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.merge(rs.getString(1), 1L, Long::sum);
        }
      }
    }
    List<Column> columns = new ArrayList<>();
    List<String> row = new ArrayList<>();
    for (String name : MergeStatement.resultColumns(duckSql)) {
      columns.add(Column.fixed(name));
      String action =
          name.equals(MergeStatement.INSERTED)
              ? "INSERT"
              : name.equals(MergeStatement.UPDATED) ? "UPDATE" : "DELETE";
      row.add(Long.toString(counts.getOrDefault(action, 0L)));
    }
    return new QueryResult(columns, List.of(row), QueryResult.MERGE);
  }

  private static void bindRow(PreparedStatement ps, List<BindValue> binds, int row)
      throws SQLException {
    for (int i = 0; i < binds.size(); i++) {
      ps.setObject(i + 1, binds.get(i).javaValue(row));
    }
  }

  private static QueryResult encode(
      ResultSet rs, ExactIdentifiers.ResultHints hints, List<String> labels) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    boolean relabel = labels != null && labels.size() == n;
    List<Column> columns = new ArrayList<>(n);
    for (int c = 1; c <= n; c++) {
      Column column =
          ResultEncoder.column(
              relabel && labels.get(c - 1) != null ? labels.get(c - 1) : md.getColumnLabel(c),
              md.getColumnTypeName(c),
              md.getPrecision(c),
              md.getScale(c));
      // OBJECT and ARRAY are JSON to DuckDB, like VARIANT: the query tells them apart.
      String kind = column.type().equals("variant") ? hints.kindOf(c - 1, column.name()) : null;
      columns.add(kind == null ? column : new Column(column.name(), kind, 0, 0, true));
    }
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>(n);
      for (int c = 1; c <= n; c++) {
        row.add(ResultEncoder.encode(columns.get(c - 1), read(rs, c, columns.get(c - 1))));
      }
      rows.add(row);
    }
    return new QueryResult(columns, rows, QueryResult.SELECT);
  }

  /** A stored TIMESTAMP_TZ (see {@code SnowflakeType}) as the instant at its own offset. */
  private static OffsetDateTime timestampTz(Object struct) throws SQLException {
    if (struct == null) {
      return null;
    }
    Object[] parts = ((java.sql.Struct) struct).getAttributes();
    if (parts[0] == null) {
      return null;
    }
    Instant instant =
        parts[0] instanceof OffsetDateTime odt
            ? odt.toInstant()
            : OffsetDateTime.parse(parts[0].toString()).toInstant();
    int minutes = parts[1] == null ? 0 : ((Number) parts[1]).intValue();
    return instant.atOffset(ZoneOffset.ofTotalSeconds(minutes * 60));
  }

  private static Object read(ResultSet rs, int c, Column column) throws SQLException {
    Object value =
        switch (column.type()) {
          case "date" -> rs.getObject(c, LocalDate.class);
          case "timestamp_ntz" -> rs.getObject(c, LocalDateTime.class);
          case "timestamp_ltz" -> rs.getObject(c, OffsetDateTime.class);
          case "timestamp_tz" -> timestampTz(rs.getObject(c));
          case "time" -> rs.getObject(c, LocalTime.class);
          case "binary" -> rs.getBytes(c);
          case "fixed" -> rs.getBigDecimal(c);
          case "real" -> rs.getObject(c);
          case "boolean" -> rs.getObject(c);
          default -> rs.getString(c);
        };
    return rs.wasNull() ? null : value;
  }
}
