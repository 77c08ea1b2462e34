package io.pgsnow.source.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import org.postgresql.PGProperty;

/**
 * Makes the replication connection's socket, which remembers whether the server closed it.
 *
 * <p>pgjdbc polls a replication stream without blocking, and its poll takes an end of stream for
 * "nothing received yet": a connection that PostgreSQL (a fast shutdown) or the network (a proxy)
 * closed in order, with a FIN, looked idle until the next status update failed to write, up to
 * {@code status.update.interval.ms} later. The socket records a read that met the end of the
 * stream, and {@link LogicalStream} fails the poll when it did, so the reader reconnects at once.
 *
 * <p>pgjdbc builds the factory from its class name ({@code socketFactory}) and the connection's
 * properties; the socket it makes reaches the connection's opener through a map keyed by an id in
 * those properties. Each entry is one connection attempt's own, and leaves the map when its {@link
 * Watch} closes, as soon as the connection is open: nothing in it is shared between connections.
 */
public final class EndOfStreamSockets extends SocketFactory {
  private static final String WATCH_ID = "pgsnow.endOfStreamWatch";
  private static final Map<String, Watched> OPENING = new ConcurrentHashMap<>();

  private final String watchId;

  /** Called by pgjdbc with the connection's properties. */
  public EndOfStreamSockets(Properties info) {
    this.watchId = info.getProperty(WATCH_ID);
  }

  @Override
  public Socket createSocket() {
    Watched socket = new Watched();
    if (watchId != null) {
      // A retried attempt (another host, without TLS) makes a new socket: the last one is in use.
      OPENING.put(watchId, socket);
    }
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket socket = createSocket();
    socket.bind(new InetSocketAddress(localHost, localPort));
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket socket = createSocket();
    socket.bind(new InetSocketAddress(localAddress, localPort));
    socket.connect(new InetSocketAddress(address, port));
    return socket;
  }

  private Socket connected(InetSocketAddress address) throws IOException {
    Socket socket = createSocket();
    socket.connect(address);
    return socket;
  }

  /**
   * One connection attempt's watch: {@link #configure} its properties, open the connection, then
   * ask {@link #endOfStream()}; close the watch once the connection is open or failed.
   */
  static final class Watch implements AutoCloseable {
    private final String id = UUID.randomUUID().toString();
    private volatile Watched socket;

    /** Has the connection opened with these properties make its socket here. */
    void configure(Properties properties) {
      PGProperty.SOCKET_FACTORY.set(properties, EndOfStreamSockets.class.getName());
      properties.setProperty(WATCH_ID, id);
    }

    /**
     * Whether a read of the connection met the end of the stream: the server, or something on the
     * way, closed it. False until the watch is closed, and when the connection was not made through
     * it.
     */
    boolean endOfStream() {
      Watched watched = socket;
      return watched != null && watched.endOfStream;
    }

    /** Keeps the connection's socket and lets go of the entry that carried it. */
    @Override
    public void close() {
      Watched watched = OPENING.remove(id);
      if (watched != null) {
        socket = watched;
      }
    }
  }

  /** A socket whose input remembers reaching the end of the stream. */
  private static final class Watched extends Socket {
    private volatile boolean endOfStream;
    private InputStream input;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input =
            new FilterInputStream(super.getInputStream()) {
              @Override
              public int read() throws IOException {
                return seen(super.read());
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                return seen(super.read(b, off, len));
              }
            };
      }
      return input;
    }

    private int seen(int read) {
      if (read < 0) {
        endOfStream = true;
      }
      return read;
    }
  }
}
