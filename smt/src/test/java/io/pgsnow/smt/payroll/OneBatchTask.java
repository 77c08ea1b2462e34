package io.pgsnow.smt.payroll;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** A test source task that emits one batch of records per start, then idles until stopped. */
public abstract class OneBatchTask extends SourceTask {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private List<SourceRecord> pending = List.of();

  /** The records this start of the task emits. */
  protected abstract List<SourceRecord> batch(Map<String, String> props);

  @Override
  public void start(Map<String, String> props) {
    pending = batch(props);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (pending.isEmpty()) {
      // Nothing more to send: idle without spinning until the worker stops the task.
      stopped.await(200, TimeUnit.MILLISECONDS);
      return null;
    }
    List<SourceRecord> batch = pending;
    pending = List.of();
    return batch;
  }

  @Override
  public void stop() {
    stopped.countDown();
  }

  @Override
  public String version() {
    return "test";
  }
}
