package io.pgsnow.sink.ingest;

import io.pgsnow.sink.model.ModelColumn;
import io.pgsnow.sink.model.ModelSettings;
import io.pgsnow.sink.model.ModelShape;
import io.pgsnow.sink.model.ModelSql;
import io.pgsnow.sink.model.UnwrapCheck;
import io.pgsnow.sink.naming.Identifier;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each table's models ({@code <TABLE>_VIEW}, {@code <TABLE>_CURRENT}) in step with the shape
 * of its records: created when the first record arrives unless an object with every column exists,
 * replaced when the rows gain a field, never dropped. The DDL it runs is logged at INFO.
 */
public final class ModelProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(ModelProvisioner.class);
  private static final int DOES_NOT_EXIST = 2003;

  private final Session session;
  private final ModelSettings settings;
  private final Map<Identifier, ModelShape> applied = new ConcurrentHashMap<>();
  private final Set<Identifier> unkeyedWarned = ConcurrentHashMap.newKeySet();

  /** Shape objects (cached per schema) already covered, so known records cost one lookup. */
  private final Map<Identifier, Set<ModelShape>> covered = new ConcurrentHashMap<>();

  public ModelProvisioner(Session session, ModelSettings settings) {
    this.session = session;
    this.settings = settings;
  }

  /** Whether {@code shape} needs DDL for {@code table}; cheap, for every record. */
  public boolean needs(Identifier table, ModelShape shape) {
    Set<ModelShape> seen =
        covered.computeIfAbsent(
            table,
            t -> Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>())));
    if (seen.contains(shape)) {
      return false;
    }
    ModelShape known = applied.get(table);
    boolean needed =
        known == null || known.lacksColumnsOf(shape) || (shape.keyed() && !known.keyed());
    if (!needed && seen.size() < 1024) {
      seen.add(shape);
    }
    return needed;
  }

  /**
   * Brings the models of {@code table} to {@code shape} merged with what this task has applied.
   *
   * @throws ConnectException when the records cannot give the configured current state
   */
  public void ensure(Identifier table, ModelShape shape) throws SQLException {
    ModelShape known = applied.get(table);
    ModelShape target = known == null ? shape : known.merge(shape);
    boolean firstSight = known == null;
    if (settings.views()) {
      Identifier view = ModelSql.viewName(table);
      if (!firstSight || !hasColumns("VIEW", view, target)) {
        run(ModelSql.view(table, target));
      }
    }
    if (settings.currentState() != ModelSettings.CurrentState.NONE) {
      if (!target.keyed()) {
        if (unkeyedWarned.add(table)) {
          LOG.warn(
              "Table {} has records without a key (no primary key): it gets no {}",
              table.sql(),
              ModelSql.currentName(table).sql());
        }
      } else if (!target.layout().hasPosition()
          || !ModelSql.supportsCurrentState(target.layout())) {
        throw new ConnectException(UnwrapCheck.runtimeProblem(table.sql(), target.layout()));
      } else {
        Identifier current = ModelSql.currentName(table);
        String kind = settings.currentState() == ModelSettings.CurrentState.VIEW ? "VIEW" : "TABLE";
        boolean gainedKey = known != null && !known.keyed();
        if (!firstSight && !gainedKey || !hasColumns(kind, current, target)) {
          run(ModelSql.current(table, target, settings));
        }
      }
    }
    applied.put(table, target);
  }

  private void run(String ddl) throws SQLException {
    LOG.info("Model DDL: {}", ddl);
    session.execute(ddl);
  }

  /** Whether the object exists with a column for every column of {@code shape}. */
  private boolean hasColumns(String kind, Identifier object, ModelShape shape) throws SQLException {
    Optional<Set<String>> columns = columns(kind, object);
    if (columns.isEmpty()) {
      return false;
    }
    for (ModelColumn c : shape.columns()) {
      if (!columns.get().contains(c.name().resolved().toUpperCase(Locale.ROOT))) {
        return false;
      }
    }
    LOG.info("{} {} exists with every column; left as it is", kind, object.sql());
    return true;
  }

  private Optional<Set<String>> columns(String kind, Identifier object) throws SQLException {
    try {
      List<Map<String, String>> rows = session.query("DESC " + kind + " " + object.sql());
      Set<String> names = new HashSet<>();
      rows.forEach(r -> names.add(r.get("NAME").toUpperCase(Locale.ROOT)));
      return Optional.of(names);
    } catch (SQLException e) {
      if (e.getErrorCode() == DOES_NOT_EXIST) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
