package io.pgsnow.source.replication;

import io.pgsnow.source.offsets.SlotConfirmation;
import io.pgsnow.source.offsets.SourcePosition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that sends status updates to the server at a fixed interval, whatever the reader is
 * doing, and moves the slot's confirmed position forward as Kafka Connect commits offsets.
 */
public final class StatusUpdater implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusUpdater.class);

  private final StreamReader reader;
  private final Supplier<SourcePosition> committedOffsets;
  private final SlotConfirmation policy;
  private final Duration interval;
  private final AtomicBoolean commitSignalled = new AtomicBoolean(true);
  private final Object wakeUp = new Object();
  private volatile boolean running = true;
  private SourcePosition committed;

  /**
   * @param committedOffsets reads the offset Kafka Connect durably committed
   */
  public StatusUpdater(
      StreamReader reader,
      Supplier<SourcePosition> committedOffsets,
      SlotConfirmation policy,
      Duration interval) {
    this.reader = reader;
    this.committedOffsets = committedOffsets;
    this.policy = policy;
    this.interval = interval;
  }

  /** Called when Kafka Connect committed offsets; the next update reads them back. */
  public void offsetsCommitted() {
    commitSignalled.set(true);
  }

  @Override
  public void run() {
    while (running) {
      synchronized (wakeUp) {
        try {
          wakeUp.wait(interval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (running) {
        update();
      }
    }
  }

  void update() {
    try {
      if (commitSignalled.getAndSet(false)) {
        SourcePosition latest = committedOffsets.get();
        if (latest != null) {
          committed = latest;
        }
      }
      StreamReader.State state = reader.state();
      long before = policy.confirmed();
      long lsn =
          policy.next(committed, state.lastQueued(), state.caughtUpLsn(), state.inTransaction());
      LogicalStream stream = reader.stream();
      if (stream != null) {
        stream.confirmAndKeepalive(lsn);
      }
      if (lsn != before) {
        LOG.debug("Confirmed LSN {} to the slot", Long.toUnsignedString(lsn));
      }
    } catch (Exception e) {
      // The reader notices a broken connection and reconnects; a missed update is retried.
      LOG.debug("Status update failed", e);
    }
  }

  public void stop() {
    running = false;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }
}
