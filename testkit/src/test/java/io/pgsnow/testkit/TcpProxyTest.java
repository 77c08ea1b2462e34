package io.pgsnow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {
  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread server =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread t = new Thread(() -> echoAll(s));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    server.setDaemon(true);
    server.start();
    proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
  }

  private static void echoAll(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // the test ended the connection
    }
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(proxy.host(), proxy.port());
    s.setSoTimeout(5_000);
    return s;
  }

  private static byte[] roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes());
    byte[] back = new byte[text.length()];
    new DataInputStream(s.getInputStream()).readFully(back);
    return back;
  }

  @Test
  void forwardsBothWays() throws IOException {
    try (Socket s = connect()) {
      assertThat(new String(roundTrip(s, "hello"))).isEqualTo("hello");
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void aCutEndsTheStreamAndNewConnectionsWork() throws IOException {
    try (Socket s = connect()) {
      roundTrip(s, "a");
      proxy.cut();
      assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
    }
    try (Socket s = connect()) {
      assertThat(new String(roundTrip(s, "again"))).isEqualTo("again");
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void aResetAbortsTheConnection() throws IOException {
    try (Socket s = connect()) {
      roundTrip(s, "a");
      proxy.reset();
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void aStallHoldsTheBytesUntilResumed() throws IOException {
    try (Socket s = connect()) {
      roundTrip(s, "a");
      proxy.stall();
      s.getOutputStream().write("held".getBytes());
      s.setSoTimeout(500);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(proxy.openConnections()).as("the connection stays open").isEqualTo(1);
      proxy.resume();
      s.setSoTimeout(5_000);
      byte[] back = new byte[4];
      new DataInputStream(s.getInputStream()).readFully(back);
      assertThat(new String(back)).isEqualTo("held");
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 0);
  }
}
