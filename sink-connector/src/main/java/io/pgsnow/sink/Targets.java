package io.pgsnow.sink;

import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.ObjectNames;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.naming.TopicTableMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/** Resolves and remembers the {@link Target} of each topic partition. */
final class Targets {

  private final ObjectNames names;
  private final TopicTableMap tables;
  private final boolean pipePerTable;
  private final String schemaPrefix;
  private final Map<TopicPartition, Target> resolved = new ConcurrentHashMap<>();

  Targets(ObjectNames names, TopicTableMap tables, boolean pipePerTable, String schemaPrefix) {
    this.names = names;
    this.tables = tables;
    this.pipePerTable = pipePerTable;
    this.schemaPrefix = schemaPrefix;
  }

  static Targets of(SnowflakeSinkConfig config, ObjectNames names) {
    return new Targets(
        names,
        config.topicTableMap(),
        config.pipePerTable(),
        config.database().sql() + "." + config.schema().sql() + ".");
  }

  Target of(TopicPartition tp) {
    return resolved.computeIfAbsent(
        tp,
        p -> {
          Identifier table = tables.tableFor(p.topic());
          Identifier pipe =
              pipePerTable ? names.tablePipe(table) : names.pipe(table, p.partition());
          return new Target(
              table,
              names.stage(table),
              pipe,
              schemaPrefix + pipe.sql(),
              StageFileName.directory(names.connector(), table, p.partition()));
        });
  }

  void forget(TopicPartition tp) {
    resolved.remove(tp);
  }
}
