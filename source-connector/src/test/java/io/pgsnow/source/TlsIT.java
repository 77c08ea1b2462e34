package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code database.sslmode=verify-full} against a server whose certificate a test CA signed (made
 * with openssl here): the connector validates, streams over TLS (PostgreSQL's pg_stat_ssl shows the
 * replication connection encrypted), and a root certificate of another CA, a missing one, or a host
 * name the certificate does not hold are each refused on the key to change.
 */
class TlsIT {
  private static final String DB = "tls_it";
  private static Path certs;
  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() throws Exception {
    certs = Files.createTempDirectory("pgsnow-tls-it");
    selfSignedCa("pgsnow test CA", "ca");
    selfSignedCa("another CA", "other-ca");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    Files.writeString(certs.resolve("san.cnf"), "subjectAltName=DNS:localhost\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.cnf",
        "-out",
        "server.crt");
    pg =
        LocalPostgres.builder()
            .tls(certs.resolve("server.crt"), certs.resolve("server.key"))
            .start();
    pg.createDatabase(DB);
    pg.executeIn(DB, "CREATE TABLE orders (id int PRIMARY KEY, item text)");
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static Map<String, String> verifyFull(String name) {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, name);
    config.put("database.hostname", "localhost");
    config.put("database.sslmode", "verify-full");
    config.put("database.sslrootcert", certs.resolve("ca.crt").toString());
    config.put("table.include.list", "public\\.orders");
    config.put("publication.autocreate.mode", "filtered");
    return config;
  }

  @Test
  void streamsOverVerifiedTls() throws Exception {
    Map<String, String> config = verifyFull("tls_ok");
    config.put("name", "tls_ok");
    assertThat(errors(config)).isEmpty();
    connect.createConnector("tls_ok", config);
    try {
      connect.awaitRunning("tls_ok", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(DB, "tls_ok_slot");
      pg.executeIn(DB, "INSERT INTO orders VALUES (1, 'over tls')");
      List<SourceItSupport.Event> events =
          SourceItSupport.events(connect.kafka().consume(1, 60_000, "tls_ok.public.orders"));
      assertThat(events.get(0).after().get("item").asText()).isEqualTo("over tls");
      try (Connection c = pg.connect(DB);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)"
                      + " WHERE r.application_name LIKE 'pgsnow-source:tls_ok%'")) {
        List<Boolean> encrypted = new ArrayList<>();
        while (rs.next()) {
          encrypted.add(rs.getBoolean(1));
        }
        assertThat(encrypted).containsExactly(true);
      }
    } finally {
      connect.connect().deleteConnector("tls_ok");
    }
  }

  @Test
  void aRootCertificateOfAnotherCaIsRefusedOnTheRootCertificate() {
    Map<String, String> config = verifyFull("tls_other_ca");
    config.put("database.sslrootcert", certs.resolve("other-ca.crt").toString());
    assertThat(errors(config))
        .containsOnlyKeys("database.sslrootcert")
        .extractingByKey("database.sslrootcert")
        .asString()
        .contains("database.sslrootcert must name a readable PEM file")
        .contains("the CA that signed the server's certificate");
  }

  @Test
  void aMissingRootCertificateFileIsRefusedOnTheRootCertificate() {
    Map<String, String> config = verifyFull("tls_no_file");
    config.put("database.sslrootcert", certs.resolve("missing.crt").toString());
    assertThat(errors(config))
        .containsOnlyKeys("database.sslrootcert")
        .extractingByKey("database.sslrootcert")
        .asString()
        .contains("missing.crt");
  }

  @Test
  void aHostNameTheCertificateDoesNotHoldIsRefusedOnTheHostName() {
    Map<String, String> config = verifyFull("tls_by_ip");
    config.put("database.hostname", "127.0.0.1");
    assertThat(errors(config))
        .containsOnlyKeys("database.hostname")
        .extractingByKey("database.hostname")
        .asString()
        .contains("must be a name in the server's certificate");
    // verify-ca checks the chain only, so the address is fine there.
    config.put("database.sslmode", "verify-ca");
    assertThat(errors(config)).isEmpty();
  }

  private static Map<String, String> errors(Map<String, String> config) {
    return SourceItSupport.validationErrors(connect, config);
  }

  private static void selfSignedCa(String name, String file) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-keyout",
        file + ".key",
        "-out",
        file + ".crt");
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
  }
}
