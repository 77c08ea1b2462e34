package io.pgsnow.source.heartbeat;

import io.pgsnow.source.offsets.SourcePosition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Heartbeat records as Debezium writes them: key {@code ServerNameKey {serverName}}, value {@code
 * Heartbeat {ts_ms}}, on partition 0 of the heartbeat topic, with the task's offset.
 */
public final class HeartbeatRecords {
  public static final Schema KEY_SCHEMA =
      SchemaBuilder.struct()
          .name("io.debezium.connector.common.ServerNameKey")
          .version(1)
          .field("serverName", Schema.STRING_SCHEMA)
          .build();
  public static final Schema VALUE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.debezium.connector.common.Heartbeat")
          .version(1)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .build();

  private final String topic;
  private final String serverName;

  /**
   * @param topic the heartbeat topic
   * @param serverName the connector's {@code topic.prefix}, also its offset partition
   */
  public HeartbeatRecords(String topic, String serverName) {
    this.topic = topic;
    this.serverName = serverName;
  }

  public SourceRecord record(SourcePosition position, long nowMillis) {
    return new SourceRecord(
        SourcePosition.partition(serverName),
        position.toOffset(),
        topic,
        0,
        KEY_SCHEMA,
        new Struct(KEY_SCHEMA).put("serverName", serverName),
        VALUE_SCHEMA,
        new Struct(VALUE_SCHEMA).put("ts_ms", nowMillis));
  }
}
