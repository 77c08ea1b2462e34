package io.pgsnow.source.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return createSocket(host.getHostAddress(), port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return createSocket(address.getHostAddress(), port, localAddress, localPort);
  }

  /** A socket connected to {@code address}, bound first to {@code local} unless null. */
  private Socket connected(InetSocketAddress address, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    if (local != null) {
      socket.bind(local);
    }
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
      return watched != null && watched.endOfStream();
    }

    /** Reads made of the connection's socket so far; 0 when it was not made through the watch. */
    long reads() {
      Watched watched = socket;
      return watched == null ? 0 : watched.reads();
    }

    /**
     * Looks for the end of the stream on the socket itself, when the driver did not read it: see
     * {@link LogicalStream#readPending()}. Only while the driver does not use the connection.
     */
    void probe() throws IOException {
      Watched watched = socket;
      if (watched != null) {
        watched.probe();
      }
    }

    /** Keeps the connection's socket and lets go of the entry that carried it. */
    @Override
    public void close() {
      Watched watched = OPENING.remove(id);
      if (watched != null) {
        watched.opened();
        socket = watched;
      }
    }
  }

  /**
   * A socket whose input remembers reaching the end of the stream, and counts the reads made of it
   * so that a poll that read nothing can look for that end itself ({@link #probe}).
   */
  static final class Watched extends Socket {
    private static final int PROBE_TIMEOUT_MILLIS = 1;

    private volatile boolean endOfStream;
    private volatile long reads;
    private volatile long readsAtOpen = Long.MAX_VALUE;
    private InputStream raw;
    private InputStream input;
    private byte[] held = new byte[0];
    private int heldFrom;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        raw = super.getInputStream();
        input =
            new FilterInputStream(raw) {
              @Override
              public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                reads++;
                if (heldFrom < held.length) {
                  int n = Math.min(len, held.length - heldFrom);
                  System.arraycopy(held, heldFrom, b, off, n);
                  heldFrom += n;
                  return n;
                }
                return seen(super.read(b, off, len));
              }

              @Override
              public int available() throws IOException {
                return held.length - heldFrom + super.available();
              }
            };
      }
      return input;
    }

    boolean endOfStream() {
      return endOfStream;
    }

    /** The connection is open (TLS handshake included): its reads from now on are the stream's. */
    void opened() {
      readsAtOpen = reads;
    }

    /** Reads made of the socket's input so far, through whatever wraps it (TLS included). */
    long reads() {
      return reads;
    }

    /**
     * Reads what the socket holds, waiting at most a millisecond, keeping it for the next reads,
     * and notes the end of the stream if it is there. Only while nothing else reads the socket, and
     * only once the open connection was read through {@link #getInputStream()}, whose reads return
     * what is kept: a TLS layer reading the socket some other way would never see it.
     */
    void probe() throws IOException {
      if (endOfStream || reads <= readsAtOpen) {
        return;
      }
      int timeout = getSoTimeout();
      setSoTimeout(PROBE_TIMEOUT_MILLIS);
      try {
        byte[] buffer = new byte[4096];
        int n = seen(raw.read(buffer));
        if (n > 0) {
          byte[] more = new byte[held.length - heldFrom + n];
          System.arraycopy(held, heldFrom, more, 0, held.length - heldFrom);
          System.arraycopy(buffer, 0, more, held.length - heldFrom, n);
          held = more;
          heldFrom = 0;
        }
      } catch (SocketTimeoutException e) {
        // Nothing there yet: the connection is open.
      } finally {
        setSoTimeout(timeout);
      }
    }

    private int seen(int read) {
      if (read < 0) {
        endOfStream = true;
      }
      return read;
    }
  }
}
