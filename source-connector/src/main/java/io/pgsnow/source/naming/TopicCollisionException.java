package io.pgsnow.source.naming;

import org.apache.kafka.connect.errors.ConnectException;

/** Two captured tables would write to one topic. */
public final class TopicCollisionException extends ConnectException {
  private static final long serialVersionUID = 1L;

  public TopicCollisionException(TopicAssignments.Collision collision) {
    super(collision.message());
  }
}
