package io.pgsnow.source.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The replication connection's socket sees the peer close it, read by the driver or by a probe. */
class EndOfStreamSocketsTest {

  @Test
  void aReadThatMeetsTheEndOfTheStreamIsRemembered() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        EndOfStreamSockets.Watch watch = new EndOfStreamSockets.Watch();
        Socket client = connect(watch, server)) {
      watch.close();
      try (Socket peer = server.accept()) {
        peer.getOutputStream().write(7);
      }
      InputStream in = client.getInputStream();
      assertThat(in.read()).isEqualTo(7);
      assertThat(watch.endOfStream()).isFalse();
      assertThat(in.read()).isEqualTo(-1);
      assertThat(watch.endOfStream()).isTrue();
    }
  }

  /**
   * The driver may stop reading the socket (a message it leaves in its buffer): the probe reads on,
   * keeps what it read for the driver's next reads, and sees the end of the stream.
   */
  @Test
  void aProbeKeepsWhatItReadsAndSeesTheEndOfTheStream() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        EndOfStreamSockets.Watch watch = new EndOfStreamSockets.Watch();
        Socket client = connect(watch, server);
        Socket peer = server.accept()) {
      OutputStream out = peer.getOutputStream();
      out.write(1);
      InputStream in = client.getInputStream();
      assertThat(in.read()).as("a read while opening").isEqualTo(1);
      watch.close();
      watch.probe();
      assertThat(watch.endOfStream()).as("nothing read since the connection opened").isFalse();

      out.write(2);
      assertThat(in.read()).isEqualTo(2);
      long reads = watch.reads();
      watch.probe();
      assertThat(watch.endOfStream()).as("open and idle").isFalse();
      out.write(new byte[] {3, 4});
      out.flush();
      peer.close();
      Awaitility.await("the probe sees the end of the stream")
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                watch.probe();
                return watch.endOfStream();
              });
      assertThat(watch.reads()).as("probes are not the driver's reads").isEqualTo(reads);
      byte[] kept = new byte[4];
      assertThat(in.available()).isEqualTo(2);
      assertThat(in.read(kept, 0, 4)).isEqualTo(2);
      assertThat(kept).containsExactly(3, 4, 0, 0);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  private static Socket connect(EndOfStreamSockets.Watch watch, ServerSocket server)
      throws Exception {
    Properties properties = new Properties();
    watch.configure(properties);
    return new EndOfStreamSockets(properties)
        .createSocket(server.getInetAddress(), server.getLocalPort());
  }
}
