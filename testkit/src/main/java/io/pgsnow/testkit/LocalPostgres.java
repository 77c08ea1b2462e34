package io.pgsnow.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A real PostgreSQL server for tests, with {@code wal_level=logical}.
 *
 * <p>By default it runs the server binaries installed on the machine ({@code PG_BIN}, {@code
 * pg_config --bindir} or {@code /usr/lib/postgresql/N/bin}) in a temporary directory on a free
 * port. PostgreSQL refuses to run as root, so when the JVM is root the server runs as the {@code
 * postgres} OS user. With {@code PGSNOW_TEST_POSTGRES=container} and a Docker engine answering,
 * Testcontainers' PostgreSQL image is used instead.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

  public static final String SUPERUSER = "postgres";
  public static final String PASSWORD = "pgsnow-test";
  public static final String DATABASE = "postgres";

  private static LocalPostgres shared;

  /** How {@link #stop(Shutdown)} shuts the server down ({@code pg_ctl stop -m}). */
  public enum Shutdown {
    /** Sessions are ended, the server checkpoints and exits: a planned restart. */
    FAST,
    /** The server exits without a checkpoint and recovers from the WAL on start: a crash. */
    IMMEDIATE
  }

  private final String host;
  private final int port;
  private final Runnable stopper;
  private final LocalServer local;

  private LocalPostgres(String host, int port, Runnable stopper, LocalServer local) {
    this.host = host;
    this.port = port;
    this.stopper = stopper;
    this.local = local;
  }

  /** One server per test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalPostgres shared() {
    if (shared == null) {
      shared = builder().start();
      LocalPostgres server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgsnow-postgres-stop"));
    }
    return shared;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The source connector's settings to read database {@code db} of this server as the superuser,
   * without TLS, with topics {@code <name>.<schema>.<table>}, slot {@code <name>_slot} and
   * publication {@code <name>_pub}: a new map for the caller to complete.
   */
  public Map<String, String> sourceSettings(String db, String name) {
    Map<String, String> config = new HashMap<>();
    config.put("database.hostname", host());
    config.put("database.port", Integer.toString(port()));
    config.put("database.user", SUPERUSER);
    config.put("database.password", PASSWORD);
    config.put("database.dbname", db);
    config.put("database.sslmode", "disable");
    config.put("topic.prefix", name);
    config.put("slot.name", name + "_slot");
    config.put("publication.name", name + "_pub");
    return config;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, PASSWORD);
  }

  /** Creates a fresh database and returns its name, so tests do not see each other's tables. */
  public String createDatabase(String name) {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    execute("CREATE DATABASE " + name);
    return name;
  }

  /** Runs statements in the default database, each in its own transaction. */
  public void execute(String... sql) {
    executeIn(DATABASE, sql);
  }

  /** Runs statements in the given database, each in its own transaction. */
  public void executeIn(String database, String... sql) {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed: " + String.join("; ", sql), e);
    }
  }

  /** Whether a replication slot exists in the database's cluster and a client streams from it. */
  public boolean slotActive(String database, String slot) {
    try (Connection c = connect(database);
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slot);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Waits until a source connector streams from its slot: only then do changes that follow reach it
   * (a task reports RUNNING before its start-up has created the slot).
   */
  public void awaitSlotActive(String database, String slot) {
    org.awaitility.Awaitility.await(slot + " active")
        .atMost(Duration.ofSeconds(60))
        .until(() -> slotActive(database, slot));
  }

  /**
   * Stops the server and keeps its data directory and port, so that {@link #start()} brings the
   * same cluster back. Only for a server run from the machine's binaries.
   */
  public void stop(Shutdown mode) {
    localServer().stop(mode);
  }

  /** Starts again a server stopped by {@link #stop(Shutdown)}, on the same port and data. */
  public void start() {
    localServer().start();
  }

  private LocalServer localServer() {
    if (local == null) {
      throw new UnsupportedOperationException(
          "Stopping and starting needs a server run from the machine's binaries, not a container");
    }
    return local;
  }

  @Override
  public void close() {
    stopper.run();
  }

  /** A server run with pg_ctl from the machine's binaries. */
  private record LocalServer(
      Path bin, Path dir, Path data, Path log, String options, boolean asPostgresUser) {

    void start() {
      pgCtl("start", List.of("-l", log.toString(), "-o", options, "-w", "-t", "60", "start"));
    }

    void stop(Shutdown mode) {
      pgCtl("stop", List.of("-m", mode.name().toLowerCase(java.util.Locale.ROOT), "-w", "stop"));
    }

    private void pgCtl(String what, List<String> args) {
      List<String> command =
          new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
      command.addAll(args);
      try {
        run(command, asPostgresUser);
      } catch (IOException e) {
        throw new IllegalStateException("Could not " + what + " PostgreSQL in " + dir, e);
      }
    }
  }

  /** Options of a server to start. */
  public static final class Builder {
    private String walLevel = "logical";
    private int port;
    private boolean durable;
    private Path tlsCertificate;
    private Path tlsKey;

    private Builder() {}

    /**
     * A server that also accepts TLS connections, with this PEM certificate (chain) and its
     * unencrypted PEM key; plain connections are still accepted. The files are copied into the
     * server's directory, where the server may read them.
     */
    public Builder tls(Path certificate, Path key) {
      this.tlsCertificate = certificate;
      this.tlsKey = key;
      return this;
    }

    /** A fixed port instead of a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * A server that keeps what it acknowledged through a crash: the server's defaults for {@code
     * fsync}, {@code synchronous_commit} and {@code full_page_writes} instead of the test fixture's
     * faster settings that lose committed transactions when the machine fails. The demo runs one,
     * so that a fault shown with it means what it would in production.
     */
    public Builder durable() {
      this.durable = true;
      return this;
    }

    /** The server's {@code wal_level}; tests of validation start one with {@code replica}. */
    public Builder walLevel(String level) {
      this.walLevel = level;
      return this;
    }

    public LocalPostgres start() {
      if ("container".equalsIgnoreCase(System.getenv("PGSNOW_TEST_POSTGRES"))
          && DockerClientFactory.instance().isDockerAvailable()
          && tlsCertificate == null) {
        return startContainer();
      }
      return startLocal();
    }

    private LocalPostgres startContainer() {
      PostgreSQLContainer<?> container =
          new PostgreSQLContainer<>("postgres:15")
              .withUsername(SUPERUSER)
              .withPassword(PASSWORD)
              .withDatabaseName(DATABASE)
              .withCommand(
                  "postgres",
                  "-c",
                  "wal_level=" + walLevel,
                  "-c",
                  "max_replication_slots=100",
                  "-c",
                  "max_wal_senders=100",
                  "-c",
                  "fsync=" + (durable ? "on" : "off"));
      container.start();
      LOG.info("Started PostgreSQL container on port {}", container.getFirstMappedPort());
      return new LocalPostgres(
          container.getHost(), container.getFirstMappedPort(), container::stop, null);
    }

    private LocalPostgres startLocal() {
      Path bin = PostgresBinaries.find();
      boolean asPostgresUser = "root".equals(System.getProperty("user.name"));
      try {
        Path dir = Files.createTempDirectory("pgsnow-pg-");
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        List<String> tlsSettings = new ArrayList<>();
        if (tlsCertificate != null) {
          Path cert = Files.copy(tlsCertificate, dir.resolve("server.crt"));
          Path key = Files.copy(tlsKey, dir.resolve("server.key"));
          // The server refuses a key file that others may read.
          Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
          tlsSettings.addAll(
              List.of("-c ssl=on", "-c ssl_cert_file=" + cert, "-c ssl_key_file=" + key));
        }
        if (asPostgresUser) {
          run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        run(
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                SUPERUSER,
                "--pwfile=" + pwfile,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8"),
            asPostgresUser,
            durable ? List.of() : List.of("--no-sync"));
        int port = this.port > 0 ? this.port : freePort();
        List<String> settings =
            new ArrayList<>(
                List.of(
                    "-p " + port,
                    "-k " + dir,
                    "-c listen_addresses=127.0.0.1",
                    "-c wal_level=" + walLevel,
                    "-c max_replication_slots=100",
                    "-c max_wal_senders=100",
                    "-c max_connections=200",
                    "-c shared_buffers=256MB",
                    "-c wal_sender_timeout=60s"));
        settings.addAll(tlsSettings);
        if (!durable) {
          // Test speed: a crash of the machine may lose acknowledged commits, which tests accept.
          settings.addAll(
              List.of("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"));
        }
        String options = String.join(" ", settings);
        LocalServer server =
            new LocalServer(bin, dir, data, dir.resolve("server.log"), options, asPostgresUser);
        server.start();
        LOG.info(
            "Started PostgreSQL from {} on port {} (wal_level={}, {}{})",
            bin,
            port,
            walLevel,
            durable ? "durable" : "fsync off",
            tlsSettings.isEmpty() ? "" : ", TLS");
        Runnable stop =
            () -> {
              try {
                server.stop(Shutdown.IMMEDIATE);
              } catch (RuntimeException e) {
                LOG.warn("Could not stop PostgreSQL in {}", dir, e);
              }
              deleteRecursively(dir);
            };
        return new LocalPostgres("127.0.0.1", port, stop, server);
      } catch (IOException e) {
        throw new IllegalStateException("Could not start a local PostgreSQL from " + bin, e);
      }
    }
  }

  private static void run(List<String> command, boolean asPostgresUser) throws IOException {
    run(command, asPostgresUser, List.of());
  }

  private static void run(List<String> command, boolean asPostgresUser, List<String> extraArgs)
      throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    full.addAll(extraArgs);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    try {
      // pg_ctl start leaves the server holding stdout only when no -l is given; read to the end.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("Command failed: " + String.join(" ", full) + "\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running " + full, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Could not delete {}", dir, e);
    }
  }
}
