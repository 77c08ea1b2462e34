package io.pgsnow.source.events;

/**
 * An in-progress transaction streamed by pgoutput outgrew the bytes the task may hold for it
 * ({@code pgoutput.streaming.max.buffered.bytes}). Nothing of it was emitted: the reader drops what
 * it holds and reads the stream again without in-progress streaming, so that PostgreSQL keeps the
 * transaction (spilling it to its own disk) and sends it whole at commit.
 */
public final class StreamedTransactionTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long xid;

  public StreamedTransactionTooLargeException(long xid, long bytes, long limit) {
    super(
        "In-progress transaction "
            + xid
            + " holds "
            + bytes
            + " bytes of changes, over pgoutput.streaming.max.buffered.bytes="
            + limit);
    this.xid = xid;
  }

  public long xid() {
    return xid;
  }
}
