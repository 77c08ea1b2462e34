package io.pgsnow.benchmarks;

import io.pgsnow.smt.LookupJoin;
import io.pgsnow.smt.LookupJoinConfig;
import io.pgsnow.smt.lookup.LookupSource;
import io.pgsnow.smt.lookup.TableConverter;
import io.pgsnow.smt.lookup.TopicTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * pgsnow's lookup join over its real topic table, without a broker: the table topic is empty, so
 * the table is loaded at once, and its rows are then fed in-line by sending the table topic's own
 * records through the transform, as a source connector capturing both tables does.
 */
public final class PreloadedLookupJoin extends LookupJoin.Value<SourceRecord> {

  /** A join on {@code employee_id} against the payroll topic table. */
  public static PreloadedLookupJoin onPayroll(String fields, List<SourceRecord> tableRecords) {
    Map<String, String> props = new HashMap<>();
    props.put(LookupJoinConfig.SOURCE, "topic");
    props.put(LookupJoinConfig.TOPIC_NAME, PayrollData.PAYROLL_TOPIC);
    props.put(LookupJoinConfig.TOPIC_BOOTSTRAP, "unused:9092");
    props.put(LookupJoinConfig.KEY_FIELDS, "employee_id");
    props.put(LookupJoinConfig.JOIN_TYPE, "inner");
    props.put(LookupJoinConfig.FIELDS, fields);
    PreloadedLookupJoin join = new PreloadedLookupJoin();
    join.configure(props);
    for (SourceRecord row : tableRecords) {
      if (join.apply(row) != row) {
        throw new IllegalStateException("The table did not absorb " + row);
      }
    }
    return join;
  }

  @Override
  protected LookupSource openSource(LookupJoinConfig config) {
    String topic = config.topicName();
    TopicPartition partition = new TopicPartition(topic, 0);
    Node node = new Node(0, "localhost", 9092);
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    consumer.updatePartitions(
        topic, List.of(new PartitionInfo(topic, 0, node, new Node[] {node}, new Node[] {node})));
    consumer.updateBeginningOffsets(Map.of(partition, 0L));
    consumer.updateEndOffsets(Map.of(partition, 0L));
    return new TopicTable(
        topic,
        consumer,
        converter(true),
        converter(false),
        config.topicKeyFields(),
        config.topicMaxRows(),
        config.topicMaxBytes(),
        TopicTable.LoadWait.TIMED);
  }

  private static TableConverter converter(boolean isKey) {
    return TableConverter.create(
        TableConverter.JSON_CONVERTER, Map.of("schemas.enable", "true"), isKey);
  }
}
