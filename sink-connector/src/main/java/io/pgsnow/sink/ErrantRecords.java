package io.pgsnow.sink;

import io.pgsnow.sink.naming.StageFileName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to Kafka Connect's errant record reporter (the dead letter queue): a record that
 * cannot become a row, and the records of a file Snowpipe rejected. Without a reporter a bad record
 * fails the task with a {@link DataException}. Used by the put thread only.
 */
final class ErrantRecords {

  private static final Logger LOG = LoggerFactory.getLogger(ErrantRecords.class);

  private final ErrantRecordReporter reporter;
  private final SinkMetrics metrics;
  private final List<Future<Void>> pending = new ArrayList<>();

  /**
   * @param reporter null when bad records are not tolerated or no reporter is configured
   */
  ErrantRecords(ErrantRecordReporter reporter, SinkMetrics metrics) {
    this.reporter = reporter;
    this.metrics = metrics;
  }

  boolean reporting() {
    return reporter != null;
  }

  /** Reports a record that cannot become a row and waits until it is acknowledged. */
  void badRecord(SinkRecord record, DataException e) {
    String where =
        "topic "
            + record.topic()
            + ", partition "
            + record.kafkaPartition()
            + ", offset "
            + record.kafkaOffset();
    if (reporter == null) {
      throw new DataException("Bad record at " + where + ": " + e.getMessage(), e);
    }
    LOG.error("Reporting bad record at {} as errant: {}", where, e.getMessage());
    metrics.errant(new TopicPartition(record.topic(), record.kafkaPartition()));
    await(List.of(reporter.report(record, e)), "the bad record at " + where);
  }

  /** Reports a record of a file Snowpipe rejected; {@link #awaitRejected} waits for them. */
  void rejected(TopicPartition tp, SinkRecord record, StageFileName file) {
    pending.add(reporter.report(record, new DataException(FailedLoads.rejected(file))));
    metrics.errant(tp);
  }

  /** Waits until the records reported by {@link #rejected} are acknowledged. */
  void awaitRejected() {
    await(pending, "errant records");
    pending.clear();
  }

  private static void await(List<Future<Void>> reports, String what) {
    try {
      for (Future<Void> report : reports) {
        report.get();
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new RetriableException("Interrupted while reporting " + what, ie);
    } catch (ExecutionException ee) {
      throw new ConnectException("Cannot report " + what, ee.getCause());
    }
  }
}
