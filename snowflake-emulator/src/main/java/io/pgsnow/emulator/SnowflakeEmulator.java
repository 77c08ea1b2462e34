package io.pgsnow.emulator;

import com.sun.net.httpserver.HttpServer;
import io.pgsnow.emulator.auth.JwtVerifier;
import io.pgsnow.emulator.auth.RsaPublicKeys;
import io.pgsnow.emulator.auth.SessionRegistry;
import io.pgsnow.emulator.auth.UserDirectory;
import io.pgsnow.emulator.engine.DynamicTables;
import io.pgsnow.emulator.engine.SessionState;
import io.pgsnow.emulator.engine.StatementExecutor;
import io.pgsnow.emulator.engine.Warehouse;
import io.pgsnow.emulator.fault.Faults;
import io.pgsnow.emulator.fault.RequestJournal;
import io.pgsnow.emulator.http.EmulatorContext;
import io.pgsnow.emulator.http.HttpRouter;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.emulator.pipe.Snowpipe;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.stage.StageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Snowflake: an HTTP server speaking the JDBC driver's and Snowpipe's REST protocols over
 * an embedded DuckDB. Start one with {@link #builder()}; point clients at {@link #jdbcUrl()} or
 * {@link #accountUrl()}.
 */
public final class SnowflakeEmulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeEmulator.class);

  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final Warehouse warehouse;
  private final DynamicTables dynamicTables;
  private final Snowpipe snowpipe;
  private final UserDirectory users;
  private final SessionRegistry<SessionState> sessions;
  private final Faults faults;
  private final RequestJournal journal = new RequestJournal();
  private final Optional<Path> temporaryStageRoot;

  private SnowflakeEmulator(Builder b) throws IOException, SQLException {
    this.warehouse = new Warehouse(b.dataDir);
    Path stageRoot;
    if (b.dataDir.isPresent()) {
      stageRoot = b.dataDir.get().resolve("stages");
      temporaryStageRoot = Optional.empty();
    } else {
      stageRoot = Files.createTempDirectory("snowflake-emulator-stages");
      temporaryStageRoot = Optional.of(stageRoot);
    }
    StageStore stages = new StageStore(stageRoot);
    this.users = new UserDirectory(warehouse.metadata());
    b.passwords.forEach(users::setPassword);
    b.keys.forEach(users::setPublicKey);
    this.sessions = new SessionRegistry<>();
    this.faults = new Faults();
    this.dynamicTables = new DynamicTables(warehouse, b.dynamicTableRefresh);
    this.snowpipe = new Snowpipe(warehouse, stages, faults);
    StatementExecutor executor =
        new StatementExecutor(warehouse, stages, users, dynamicTables, snowpipe::pending);
    this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 64);
    this.httpThreads =
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "emulator-http");
              t.setDaemon(true);
              return t;
            });
    EmulatorContext context =
        new EmulatorContext(
            warehouse,
            executor,
            users,
            new JwtVerifier(users::publicKeys, Clock.systemUTC()),
            sessions,
            stages,
            snowpipe,
            faults,
            journal,
            this::accountUrl);
    server.createContext("/", new HttpRouter(context));
    server.setExecutor(httpThreads);
    server.start();
    LOG.info("Snowflake emulator listening on {}", accountUrl());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for starting an emulator. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Optional<Path> dataDir = Optional.empty();
    private Duration dynamicTableRefresh = Duration.ofSeconds(1);
    private final java.util.Map<String, String> passwords = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, PublicKey> keys = new java.util.LinkedHashMap<>();

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Keeps tables, stages, pipes, users and load history in this directory across restarts. */
    public Builder dataDirectory(Path dir) {
      this.dataDir = Optional.of(dir);
      return this;
    }

    public Builder user(String name, String password) {
      passwords.put(name, password);
      return this;
    }

    public Builder userKey(String name, PublicKey key) {
      keys.put(name, key);
      return this;
    }

    public Builder dynamicTableRefresh(Duration interval) {
      this.dynamicTableRefresh = interval;
      return this;
    }

    public SnowflakeEmulator start() {
      try {
        return new SnowflakeEmulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot start the emulator: " + e.getMessage(), e);
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}: the ingest SDK's host/port and the connector's URL. */
  public String accountUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
  }

  /** A JDBC URL over plain HTTP; pass {@code account}, {@code user}, credentials as properties. */
  public String jdbcUrl() {
    return "jdbc:snowflake://" + server.getAddress().getHostString() + ":" + port() + "/?ssl=off";
  }

  /** Creates the user or replaces its password. */
  public void registerUser(String name, String password) {
    users.setPassword(name, password);
  }

  /** Sets the user's RSA public key, like {@code ALTER USER ... SET RSA_PUBLIC_KEY}. */
  public void registerPublicKey(String name, PublicKey key) {
    users.setPublicKey(name, key);
  }

  public void registerPublicKey(String name, String base64OrPem) {
    users.setPublicKey(name, RsaPublicKeys.parse(base64OrPem));
  }

  /** Faults to inject into the next requests or loads. */
  public Faults faults() {
    return faults;
  }

  /**
   * The requests the emulator handled, oldest first (the last 10,000): endpoint, path, URL
   * parameters such as a query-request's {@code requestId} and {@code retryCount}, and the HTTP
   * status of the answer ({@link RequestJournal#NO_RESPONSE} when the connection was closed without
   * one). Each is recorded just before its answer leaves, so a client that got an answer finds its
   * request here. The emulator's own {@code /emulator/} API is not recorded.
   */
  public List<RequestJournal.RecordedRequest> requests() {
    return journal.entries();
  }

  /** Makes every open session's token expire, so clients must renew with their master token. */
  public int expireSessions() {
    return sessions.expireAll();
  }

  /** Load history of a pipe ({@code DB.SCHEMA.PIPE}), oldest first, all attempts included. */
  public List<LoadRecord> loadHistory(String pipe) {
    return warehouse.metadata().loads(ObjectName.parse(pipe).display());
  }

  /** Sessions logged in and not logged out. */
  public int openSessions() {
    return sessions.all().size();
  }

  /**
   * insertFiles requests accepted so far (Snowpipe's cost is per file; a request per file is
   * waste).
   */
  public int insertFilesRequests() {
    return snowpipe.insertRequests();
  }

  /** Files named by the insertFiles requests accepted so far. */
  public int insertedFiles() {
    return snowpipe.insertedFiles();
  }

  /** Files queued by insertFiles and not loaded yet. */
  public int pendingLoads() {
    return snowpipe.pending();
  }

  @Override
  public void close() {
    faults.clear();
    server.stop(0);
    httpThreads.shutdownNow();
    for (var entry : sessions.all()) {
      try {
        entry.state().close();
      } catch (SQLException e) {
        LOG.debug("Closing session failed: {}", e.getMessage());
      }
    }
    try {
      snowpipe.close();
      dynamicTables.close();
    } catch (SQLException e) {
      LOG.debug("Closing loaders failed: {}", e.getMessage());
    }
    warehouse.close();
    temporaryStageRoot.ifPresent(SnowflakeEmulator::deleteTree);
    LOG.info("Snowflake emulator stopped");
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Cannot delete {}: {}", root, e.getMessage());
    }
  }

  /**
   * Standalone use: {@code --port N --data-dir DIR --user NAME:PASSWORD [--user-key NAME:FILE]}.
   */
  public static void main(String[] args) throws InterruptedException, IOException {
    Builder builder = EmulatorCommandLine.parse(args);
    SnowflakeEmulator emulator = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "emulator-shutdown"));
    LOG.info("JDBC URL: {} (account: any, e.g. EMULATOR)", emulator.jdbcUrl());
    Thread.currentThread().join();
  }
}
