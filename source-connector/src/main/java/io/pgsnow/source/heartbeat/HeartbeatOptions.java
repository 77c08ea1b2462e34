package io.pgsnow.source.heartbeat;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Debezium's heartbeat keys, with Debezium's defaults (heartbeats off). */
public record HeartbeatOptions(
    Duration interval, Optional<String> actionQuery, String topicPrefix) {
  public static final String INTERVAL_MS = "heartbeat.interval.ms";
  public static final String ACTION_QUERY = "heartbeat.action.query";
  public static final String TOPIC_PREFIX = "topic.heartbeat.prefix";
  public static final String DEFAULT_TOPIC_PREFIX = "__debezium-heartbeat";

  private static final String GROUP = "Heartbeats";

  public boolean enabled() {
    return !interval.isZero();
  }

  /** The heartbeat topic of a connector: {@code <topic.heartbeat.prefix>.<topic.prefix>}. */
  public String topic(String connectorTopicPrefix) {
    return topicPrefix + "." + connectorTopicPrefix;
  }

  /** Adds the keys to {@code def}. */
  public static ConfigDef define(ConfigDef def) {
    int order = 0;
    def.define(
        INTERVAL_MS,
        Type.INT,
        0,
        ConfigDef.Range.atLeast(0),
        Importance.MEDIUM,
        "How often, in milliseconds, the task writes a heartbeat record to the heartbeat topic; 0"
            + " (the default, as in Debezium) writes none. A heartbeat's offset carries the position"
            + " the stream was read up to once everything before it is in Kafka, so a restart"
            + " resumes past WAL that held no captured change (writes to other databases or"
            + " uncaptured tables). The replication slot advances on idle or filtered databases"
            + " with or without heartbeats.",
        GROUP,
        ++order,
        Width.SHORT,
        "Heartbeat interval (ms)");
    def.define(
        ACTION_QUERY,
        Type.STRING,
        null,
        Importance.LOW,
        "A SQL statement the task runs in the captured database before each heartbeat (only when"
            + " heartbeat.interval.ms is above 0), for example an update of a heartbeat table. A"
            + " failing statement is logged with its SQLSTATE and retried at the next heartbeat;"
            + " the heartbeat record is written anyway.",
        GROUP,
        ++order,
        Width.LONG,
        "Heartbeat action query");
    def.define(
        TOPIC_PREFIX,
        Type.STRING,
        DEFAULT_TOPIC_PREFIX,
        new ConfigDef.NonEmptyString(),
        Importance.LOW,
        "Prefix of the heartbeat topic: heartbeats go to <topic.heartbeat.prefix>.<topic.prefix>,"
            + " as in Debezium.",
        GROUP,
        ++order,
        Width.MEDIUM,
        "Heartbeat topic prefix");
    return def;
  }

  public static HeartbeatOptions of(AbstractConfig config) {
    String query = config.getString(ACTION_QUERY);
    return new HeartbeatOptions(
        Duration.ofMillis(config.getInt(INTERVAL_MS)),
        query == null || query.isBlank() ? Optional.empty() : Optional.of(query.trim()),
        config.getString(TOPIC_PREFIX).trim());
  }
}
