package io.pgsnow.source.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pgoutput replication stream. The driver's stream is not thread-safe, so every use goes
 * through one lock; the reader holds it only while it reads, never while it waits for room in the
 * queue, so the status thread can always send keepalives.
 */
public final class LogicalStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogicalStream.class);

  private final Connection connection;
  private final PGReplicationStream stream;
  private final int protocolVersion;
  private final EndOfStreamSockets.Watch socket;
  private final ReentrantLock lock = new ReentrantLock();

  private LogicalStream(
      Connection connection,
      PGReplicationStream stream,
      int protocolVersion,
      EndOfStreamSockets.Watch socket) {
    this.connection = connection;
    this.stream = stream;
    this.protocolVersion = protocolVersion;
    this.socket = socket;
  }

  /** The options of a stream to open. */
  public record Options(
      String slotName,
      String publicationName,
      long startLsn,
      int serverVersionNum,
      boolean streamInProgress,
      Duration statusInterval) {}

  /** Opens the stream with the highest pgoutput protocol version the server speaks. */
  public static LogicalStream open(PgConnections connections, Options options) throws SQLException {
    int protocol = options.serverVersionNum() >= 140000 ? 2 : 1;
    EndOfStreamSockets.Watch socket = new EndOfStreamSockets.Watch();
    Connection connection;
    try {
      connection = connections.replication(socket);
    } finally {
      socket.close();
    }
    try {
      ChainedLogicalStreamBuilder builder =
          connection
              .unwrap(PGConnection.class)
              .getReplicationAPI()
              .replicationStream()
              .logical()
              .withSlotName(options.slotName())
              // The driver would otherwise confirm keepalive positions on its own; only the
              // connector knows what Kafka has durably committed.
              .withAutomaticFlush(false)
              .withSlotOption("proto_version", protocol)
              .withSlotOption(
                  "publication_names", ReplicationSetup.quote(options.publicationName()))
              .withStatusInterval(
                  (int) Math.max(1, options.statusInterval().toMillis()), TimeUnit.MILLISECONDS);
      if (protocol >= 2) {
        // Watermarks of snapshots taken while streaming are logical messages.
        builder.withSlotOption("messages", true);
      }
      if (protocol >= 2 && options.streamInProgress()) {
        builder.withSlotOption("streaming", "on");
      }
      if (options.startLsn() != 0) {
        builder.withStartPosition(LogSequenceNumber.valueOf(options.startLsn()));
      }
      PGReplicationStream stream = builder.start();
      LOG.info(
          "Streaming slot {} with pgoutput protocol v{} from {}",
          options.slotName(),
          protocol,
          LogSequenceNumber.valueOf(options.startLsn()));
      return new LogicalStream(connection, stream, protocol, socket);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  public int protocolVersion() {
    return protocolVersion;
  }

  /**
   * The next message's payload, or null when none is waiting.
   *
   * @throws SQLException also when the server closed the connection (SQLState 08006): the driver's
   *     poll alone answers "nothing waiting" forever then
   */
  public Received readPending() throws SQLException {
    lock.lock();
    try {
      long reads = socket.reads();
      ByteBuffer buffer = stream.readPending();
      if (buffer == null && socket.reads() == reads) {
        // The driver polled without reading the socket: its buffer holds a message it leaves
        // there, the CommandComplete a walsender sends as it ends the stream (a fast shutdown),
        // which the driver ignores until a CopyDone that never comes. The end of the stream that
        // follows is then only seen by reading the socket here.
        probe();
      }
      if (buffer == null && socket.endOfStream()) {
        throw new PSQLException(
            "The server closed the replication connection", PSQLState.CONNECTION_FAILURE);
      }
      return new Received(buffer, stream.getLastReceiveLSN().asLong());
    } finally {
      lock.unlock();
    }
  }

  private void probe() throws PSQLException {
    try {
      socket.probe();
    } catch (IOException e) {
      throw new PSQLException("The replication connection failed", PSQLState.CONNECTION_FAILURE, e);
    }
  }

  /** Reports {@code lsn} as flushed (the slot may move past it) and sends a status update. */
  public void confirmAndKeepalive(long lsn) throws SQLException {
    lock.lock();
    try {
      if (lsn != 0) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
      }
      stream.forceUpdateStatus();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing the replication connection failed", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A message payload (null when none was waiting) and the last LSN received: the message's own
   * position, or with no message the server's position from its last keepalive.
   */
  public record Received(ByteBuffer payload, long lsn) {}
}
