package io.pgsnow.sink;

import io.pgsnow.sink.metrics.PartitionMetrics;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-partition metrics under {@code
 * io.pgsnow.sink:type=partition-metrics,connector=…,topic=…,partition=…}.
 */
final class SinkMetrics implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkMetrics.class);

  private final String connector;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Map<TopicPartition, Registered> partitions = new ConcurrentHashMap<>();

  private record Registered(PartitionMetrics metrics, ObjectName name) {}

  SinkMetrics(String connector) {
    this.connector = connector;
  }

  PartitionMetrics of(TopicPartition tp) {
    return partitions.computeIfAbsent(tp, this::register).metrics();
  }

  private Registered register(TopicPartition tp) {
    PartitionMetrics metrics = new PartitionMetrics();
    ObjectName name = null;
    try {
      name =
          new ObjectName(
              "io.pgsnow.sink:type=partition-metrics,connector="
                  + ObjectName.quote(connector)
                  + ",topic="
                  + ObjectName.quote(tp.topic())
                  + ",partition="
                  + tp.partition());
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(metrics, name);
    } catch (JMException e) {
      LOG.debug("Cannot register metrics of {}: {}", tp, e.getMessage());
    }
    return new Registered(metrics, name);
  }

  void buffered(TopicPartition tp, int records, long offset) {
    PartitionMetrics m = of(tp);
    m.setRecordsBuffered(records);
    m.setProcessedOffset(offset);
  }

  /** A file is in the stage; {@code stillBuffered} records wait for the next one. */
  void uploaded(TopicPartition tp, long endOffset, int stillBuffered) {
    PartitionMetrics m = of(tp);
    m.uploaded(endOffset, System.nanoTime());
    m.setRecordsBuffered(stillBuffered);
  }

  void loaded(TopicPartition tp, long endOffset, long rows) {
    of(tp).loaded(rows, System.nanoTime());
  }

  /** A file Snowpipe rejected for its data. */
  void failed(TopicPartition tp) {
    of(tp).failed();
  }

  /** A failed file's offsets are loaded again. */
  void retried(TopicPartition tp) {
    of(tp).retried();
  }

  /** A record was reported as errant. */
  void errant(TopicPartition tp) {
    of(tp).errant();
  }

  void committed(TopicPartition tp, long offset) {
    of(tp).setCommittedOffset(offset);
  }

  void remove(TopicPartition tp) {
    Registered r = partitions.remove(tp);
    if (r != null && r.name() != null) {
      try {
        server.unregisterMBean(r.name());
      } catch (JMException e) {
        LOG.debug("Cannot unregister {}: {}", r.name(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    partitions.keySet().forEach(this::remove);
  }
}
