package io.pgsnow.source.decoding;

/** The server sent bytes that are not a pgoutput message this decoder understands. */
public final class PgOutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PgOutputException(String message) {
    super(message);
  }
}
