package io.pgsnow.source;

import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/** What a source task delegates to: the records to hand over, and the lifecycle. */
interface TaskPipeline extends AutoCloseable {
  List<SourceRecord> poll() throws InterruptedException;

  /** Kafka Connect committed the offsets of the records polled so far. */
  void offsetsCommitted();

  @Override
  void close();
}
