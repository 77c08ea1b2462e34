package io.pgsnow.source.heartbeat;

import io.pgsnow.source.PostgresCdcSourceConfig;
import io.pgsnow.source.replication.PgConnections;

/** Builds a task's heartbeat from its config. */
public final class Heartbeats {
  private Heartbeats() {}

  public static Heartbeat create(PostgresCdcSourceConfig config, PgConnections connections) {
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
