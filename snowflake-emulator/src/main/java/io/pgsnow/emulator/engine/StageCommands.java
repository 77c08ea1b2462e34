package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.load.CopyLoader;
import io.pgsnow.emulator.load.FileLoadResult;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.StageRef;
import io.pgsnow.emulator.sql.Statement.CopyInto;
import io.pgsnow.emulator.sql.Statement.CreatePipe;
import io.pgsnow.emulator.sql.Statement.CreateStage;
import io.pgsnow.emulator.sql.Statement.Get;
import io.pgsnow.emulator.sql.Statement.ListStage;
import io.pgsnow.emulator.sql.Statement.Put;
import io.pgsnow.emulator.sql.Statement.RemoveStage;
import io.pgsnow.emulator.stage.StageFile;
import io.pgsnow.emulator.stage.StageStore;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Stages, pipes, and the file commands PUT / GET / LIST / REMOVE / COPY INTO. */
final class StageCommands {

  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final Warehouse warehouse;
  private final StageStore stages;

  StageCommands(Warehouse warehouse, StageStore stages) {
    this.warehouse = warehouse;
    this.stages = stages;
  }

  QueryResult createStage(SessionState s, CreateStage cs) {
    ObjectName name = s.qualify(cs.name());
    boolean exists = warehouse.metadata().object("STAGE", name).isPresent();
    if (exists && cs.ifNotExists()) {
      return QueryResult.status(name.name() + " already exists, statement succeeded.");
    }
    if (exists && !cs.orReplace()) {
      throw CatalogCommands.alreadyExists(name.name());
    }
    StageRef ref = new StageRef(StageRef.Kind.NAMED, name, "");
    stages.deleteAll(StageStore.keyOf(ref));
    warehouse.metadata().putObject("STAGE", name, "", "");
    return QueryResult.status("Stage area " + name.name() + " successfully created.");
  }

  QueryResult dropStageOrPipe(SessionState s, String kind, ObjectName rawName, boolean ifExists) {
    ObjectName name = s.qualify(rawName);
    if (!warehouse.metadata().removeObject(kind, name)) {
      if (ifExists) {
        return QueryResult.status(
            "Drop statement executed successfully (" + name.name() + " already dropped).");
      }
      throw SnowflakeSqlException.notFound(kind.equals("STAGE") ? "Stage" : "Pipe", name.display());
    }
    if (kind.equals("STAGE")) {
      stages.deleteAll(StageStore.keyOf(new StageRef(StageRef.Kind.NAMED, name, "")));
    }
    return QueryResult.status(name.name() + " successfully dropped.");
  }

  QueryResult describeStage(SessionState s, ObjectName rawName) {
    ObjectName name = s.qualify(rawName);
    requireStage(new StageRef(StageRef.Kind.NAMED, name, ""));
    List<List<String>> rows = new ArrayList<>();
    rows.add(Arrays.asList("STAGE_FILE_FORMAT", "TYPE", "String", "CSV", "CSV"));
    rows.add(
        Arrays.asList(
            "STAGE_COPY_OPTIONS", "ON_ERROR", "String", "ABORT_STATEMENT", "ABORT_STATEMENT"));
    rows.add(Arrays.asList("STAGE_LOCATION", "URL", "String", "", ""));
    rows.add(Arrays.asList("DIRECTORY", "ENABLE", "Boolean", "false", "false"));
    List<Column> cols = new ArrayList<>();
    for (String n :
        List.of(
            "parent_property", "property", "property_type", "property_value", "property_default")) {
      cols.add(Column.text(n));
    }
    return new QueryResult(cols, rows, QueryResult.DESCRIBE);
  }

  QueryResult createPipe(SessionState s, CreatePipe cp) throws SQLException {
    ObjectName name = s.qualify(cp.name());
    boolean exists = warehouse.metadata().object("PIPE", name).isPresent();
    if (exists && cp.ifNotExists()) {
      return QueryResult.status(name.name() + " already exists, statement succeeded.");
    }
    if (exists && !cp.orReplace()) {
      throw CatalogCommands.alreadyExists(name.name());
    }
    ObjectName table = cp.copy().table().qualify(name.database(), name.schema());
    if (!CatalogCommands.relationExists(s.connection(), table)) {
      throw SnowflakeSqlException.notFound("Table", table.display());
    }
    requireStage(cp.copy().source().qualify(name.database(), name.schema()));
    warehouse.metadata().putObject("PIPE", name, cp.definition(), "");
    return QueryResult.status("Pipe " + name.name() + " successfully created.");
  }

  QueryResult describePipe(SessionState s, ObjectName rawName) {
    ObjectName name = s.qualify(rawName);
    var pipe =
        warehouse
            .metadata()
            .object("PIPE", name)
            .orElseThrow(() -> SnowflakeSqlException.notFound("Pipe", name.display()));
    List<List<String>> rows = new ArrayList<>();
    rows.add(ShowCommands.pipeRow(pipe));
    return new QueryResult(ShowCommands.pipeColumns(), rows, QueryResult.DESCRIBE);
  }

  void requireStage(StageRef stage) {
    if (stage.kind() == StageRef.Kind.NAMED
        && warehouse.metadata().object("STAGE", stage.name()).isEmpty()) {
      throw SnowflakeSqlException.notFound("Stage", stage.name().display());
    }
  }

  /** The name LIST prints: named stages prefix the lower-case stage name, table stages do not. */
  private static String listedName(StageRef stage, String path) {
    return stage.kind() == StageRef.Kind.NAMED
        ? stage.name().name().toLowerCase(Locale.ROOT) + "/" + path
        : path;
  }

  QueryResult list(SessionState s, ListStage ls) {
    StageRef stage = s.qualify(ls.stage());
    requireStage(stage);
    List<List<String>> rows = new ArrayList<>();
    for (StageFile f : stages.list(StageStore.keyOf(stage), stage.path(), ls.pattern())) {
      rows.add(
          Arrays.asList(
              listedName(stage, f.path()),
              Long.toString(f.size()),
              f.md5(),
              LAST_MODIFIED.format(f.lastModified())));
    }
    return new QueryResult(
        List.of(
            Column.text("name"),
            Column.fixed("size"),
            Column.text("md5"),
            Column.text("last_modified")),
        rows,
        QueryResult.LIST);
  }

  QueryResult remove(SessionState s, RemoveStage rm) {
    StageRef stage = s.qualify(rm.stage());
    requireStage(stage);
    List<String> key = StageStore.keyOf(stage);
    List<List<String>> rows = new ArrayList<>();
    for (StageFile f : stages.list(key, stage.path(), rm.pattern())) {
      stages.delete(key, f.path());
      rows.add(Arrays.asList(listedName(stage, f.path()), "removed"));
    }
    return new QueryResult(
        List.of(Column.text("name"), Column.text("result")), rows, QueryResult.LIST);
  }

  QueryResult put(SessionState s, Put put) {
    StageRef stage = s.qualify(put.stage());
    requireStage(stage);
    String local = put.localPath();
    String base = local.substring(local.lastIndexOf('/') + 1);
    boolean single = !base.contains("*") && !base.contains("?") && !base.isEmpty();
    FileTransfer transfer =
        new FileTransfer(
            "UPLOAD",
            List.of(local),
            StageStore.keyOf(stage),
            directoryPrefix(stage.path()),
            single ? List.of(base) : List.of(),
            "",
            put.autoCompress(),
            put.overwrite());
    return new QueryResult(List.of(), List.of(), QueryResult.SELECT, transfer);
  }

  QueryResult get(SessionState s, Get get) {
    StageRef stage = s.qualify(get.stage());
    requireStage(stage);
    List<String> names = new ArrayList<>();
    for (StageFile f : stages.list(StageStore.keyOf(stage), stage.path(), get.pattern())) {
      names.add(f.path());
    }
    FileTransfer transfer =
        new FileTransfer(
            "DOWNLOAD",
            names,
            StageStore.keyOf(stage),
            "",
            names,
            get.localDirectory(),
            false,
            false);
    return new QueryResult(List.of(), List.of(), QueryResult.SELECT, transfer);
  }

  static String directoryPrefix(String path) {
    return path.isEmpty() || path.endsWith("/") ? path : path + "/";
  }

  /** COPY INTO: loads each matching file once per table (load metadata), unless FORCE. */
  QueryResult copy(SessionState s, CopyInto raw) throws SQLException {
    CopyInto copy = qualified(raw, s.database(), s.schema());
    requireStage(copy.source());
    CopyLoader.checkTargets(s.connection(), copy);
    String historyKey = LoadMetadata.key(copy.table());
    Set<String> done = new LoadMetadata(warehouse).loadedPaths(copy.table(), Instant.now());
    List<List<String>> rows = new ArrayList<>();
    for (StageFile file : filesFor(copy)) {
      if (!copy.force() && done.contains(file.path())) {
        continue;
      }
      byte[] bytes = stages.read(StageStore.keyOf(copy.source()), file.path()).orElseThrow();
      FileLoadResult result = CopyLoader.load(s.connection(), copy, bytes, copy.onError());
      warehouse
          .metadata()
          .recordLoad(
              historyKey,
              file.path(),
              copy.source().name().display(),
              file.size(),
              Instant.now(),
              result,
              copy.table(),
              Optional.empty());
      rows.add(
          Arrays.asList(
              listedName(copy.source(), file.path()),
              result.status().name(),
              Long.toString(result.rowsParsed()),
              Long.toString(result.rowsLoaded()),
              "1",
              Long.toString(result.errorsSeen()),
              result.firstError().orElse(null),
              result.firstErrorLine().map(String::valueOf).orElse(null),
              null,
              null));
    }
    if (rows.isEmpty()) {
      return QueryResult.status("Copy executed with 0 files processed.");
    }
    return new QueryResult(
        List.of(
            Column.text("file"),
            Column.text("status"),
            Column.fixed("rows_parsed"),
            Column.fixed("rows_loaded"),
            Column.fixed("error_limit"),
            Column.fixed("errors_seen"),
            Column.text("first_error"),
            Column.fixed("first_error_line"),
            Column.fixed("first_error_character"),
            Column.text("first_error_column_name")),
        rows,
        QueryResult.SELECT);
  }

  static CopyInto qualified(CopyInto c, String database, String schema) {
    return new CopyInto(
        c.table().qualify(database, schema),
        c.columns(),
        c.source().qualify(database, schema),
        c.projections(),
        c.fileFormatType(),
        c.stripOuterArray(),
        c.matchByColumnName(),
        c.onError(),
        c.files(),
        c.pattern(),
        c.force());
  }

  private List<StageFile> filesFor(CopyInto copy) {
    List<String> key = StageStore.keyOf(copy.source());
    String prefix = copy.source().path();
    List<StageFile> all = stages.list(key, prefix, Optional.empty());
    List<StageFile> chosen = new ArrayList<>();
    String dir = directoryPrefix(prefix);
    for (StageFile f : all) {
      boolean named =
          copy.files().isEmpty()
              || copy.files()
                  .contains(f.path().substring(Math.min(dir.length(), f.path().length())))
              || copy.files().contains(f.path());
      boolean patterned = copy.pattern().map(p -> f.path().matches(p)).orElse(true);
      if (named && patterned) {
        chosen.add(f);
      }
    }
    return chosen;
  }
}
