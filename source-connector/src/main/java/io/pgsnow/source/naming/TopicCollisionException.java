package io.pgsnow.source.naming;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Two captured tables would write to one topic. A table that appears while the task runs is checked
 * against every table named since the task started, so its message also tells to restart the task
 * when the first table is gone.
 */
public final class TopicCollisionException extends ConnectException {
  private static final long serialVersionUID = 1L;

  public TopicCollisionException(TopicAssignments.Collision collision, boolean whileRunning) {
    super(
        whileRunning
            ? collision.message()
                + " (if "
                + collision.first().qualifiedName()
                + " was dropped or renamed since the task started, restarting the task is enough)"
            : collision.message());
  }
}
