package io.pgsnow.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback between a client and a server, for faults of the network between them:
 * {@link #cut()} closes every connection (the peers see an orderly end of stream), {@link #reset()}
 * aborts them (the peers see a connection reset), {@link #stall()} stops forwarding bytes while the
 * connections stay open (as a network partition looks until a timeout fires) and {@link #resume()}
 * forwards again. New connections are accepted all along; while stalled they carry nothing.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private final Object gate = new Object();
  private boolean stalled;
  private volatile boolean closed;

  private TcpProxy(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** A proxy on a free loopback port forwarding to {@code host:port}. */
  public static TcpProxy start(String host, int port) {
    try {
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpProxy proxy = new TcpProxy(listener, new InetSocketAddress(host, port));
      Thread acceptor =
          new Thread(proxy::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted since the start, those whose server could not be reached included. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Connections open now. */
  public int openConnections() {
    return links.size();
  }

  /** Closes every open connection on both sides (FIN); new connections are accepted. */
  public void cut() {
    LOG.info("Proxy {}: cutting {} connections", port(), links.size());
    links.forEach(link -> link.close(false));
  }

  /** Aborts every open connection on both sides (RST); new connections are accepted. */
  public void reset() {
    LOG.info("Proxy {}: resetting {} connections", port(), links.size());
    links.forEach(link -> link.close(true));
  }

  /** Stops forwarding: bytes already read are held, the rest waits in the sockets' buffers. */
  public void stall() {
    LOG.info("Proxy {}: stalling {} connections", port(), links.size());
    synchronized (gate) {
      stalled = true;
    }
  }

  /** Forwards again what {@link #stall()} held. */
  public void resume() {
    LOG.info("Proxy {}: resuming", port());
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  @Override
  public void close() {
    closed = true;
    resume();
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("Closing the proxy's listener: {}", e.getMessage());
    }
    cut();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        accepted.incrementAndGet();
        Socket server = new Socket();
        try {
          server.connect(target, 10_000);
        } catch (IOException e) {
          LOG.info("Proxy {}: cannot reach {}: {}", port(), target, e.getMessage());
          client.close();
          continue;
        }
        Link link = new Link(client, server);
        links.add(link);
        link.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Proxy {}: accept failed: {}", port(), e.getMessage());
        }
      }
    }
  }

  private void awaitFlowing() throws InterruptedException {
    synchronized (gate) {
      while (stalled) {
        gate.wait();
      }
    }
  }

  /** One proxied connection: a client socket, a server socket and a pump each way. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private boolean done;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() throws IOException {
      pump(client.getInputStream(), server.getOutputStream(), "up");
      pump(server.getInputStream(), client.getOutputStream(), "down");
    }

    private void pump(InputStream in, OutputStream out, String direction) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    awaitFlowing();
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                } catch (IOException e) {
                  LOG.debug("Proxy {} {}: {}", port(), direction, e.getMessage());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                close(false);
              },
              "tcp-proxy-" + port() + "-" + direction);
      t.setDaemon(true);
      t.start();
    }

    synchronized void close(boolean abort) {
      if (done) {
        return;
      }
      done = true;
      links.remove(this);
      for (Socket socket : List.of(client, server)) {
        try {
          if (abort) {
            // Linger 0: close() sends RST instead of FIN.
            socket.setSoLinger(true, 0);
          }
          socket.close();
        } catch (IOException e) {
          LOG.debug("Proxy {}: closing: {}", port(), e.getMessage());
        }
      }
    }
  }
}
