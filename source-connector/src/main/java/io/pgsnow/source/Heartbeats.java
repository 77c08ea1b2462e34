package io.pgsnow.source;

import io.pgsnow.source.heartbeat.ActionQuery;
import io.pgsnow.source.heartbeat.Heartbeat;
import io.pgsnow.source.heartbeat.HeartbeatOptions;
import io.pgsnow.source.heartbeat.HeartbeatRecords;
import io.pgsnow.source.replication.PgConnections;

/**
 * Builds a task's heartbeat from its config (here, so that the heartbeat package takes values, not
 * the config).
 */
final class Heartbeats {
  private Heartbeats() {}

  static Heartbeat create(PostgresCdcSourceConfig config, PgConnections connections) {
    HeartbeatOptions options = config.heartbeatOptions();
    Runnable action =
        options
            .actionQuery()
            .<Runnable>map(sql -> new ActionQuery(sql, connections::regular))
            .orElse(() -> {});
    return new Heartbeat(
        options,
        new HeartbeatRecords(options.topic(config.topicPrefix()), config.topicPrefix()),
        action,
        System::currentTimeMillis);
  }
}
