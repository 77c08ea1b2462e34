package io.pgsnow.sink;

import io.pgsnow.common.config.ParsingValidator;
import io.pgsnow.common.retry.RetryKeys;
import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.sink.auth.SnowflakeUrl;
import io.pgsnow.sink.buffer.MetadataFields;
import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.ingest.ClientTimeouts;
import io.pgsnow.sink.model.ModelSettings;
import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.TopicTableMap;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The sink's configuration. Key names are the official Snowflake connector's, so a user can switch
 * connectors by changing {@code connector.class}.
 */
public final class SnowflakeSinkConfig extends AbstractConfig {

  public static final String URL = "snowflake.url.name";
  public static final String USER = "snowflake.user.name";
  public static final String PRIVATE_KEY = "snowflake.private.key";
  public static final String PASSPHRASE = "snowflake.private.key.passphrase";
  public static final String DATABASE = "snowflake.database.name";
  public static final String SCHEMA = "snowflake.schema.name";
  public static final String ROLE = "snowflake.role.name";
  public static final String WAREHOUSE = "snowflake.warehouse.name";
  public static final String TOPIC2TABLE = "snowflake.topic2table.map";
  public static final String PIPE_PER_TABLE = "snowflake.pipe.per.table";
  public static final String PURGE_LOADED = "snowflake.stage.purge.loaded";
  public static final String SCHEMATIZATION = "snowflake.enable.schematization";
  public static final String BUFFER_COUNT = "buffer.count.records";
  public static final String BUFFER_BYTES = "buffer.size.bytes";
  public static final String BUFFER_TIME = "buffer.flush.time";
  public static final String MAX_IN_FLIGHT = "snowflake.upload.max.in.flight.files";
  public static final String NULL_VALUES = "behavior.on.null.values";
  public static final String META_ALL = "snowflake.metadata.all";
  public static final String META_TOPIC = "snowflake.metadata.topic";
  public static final String META_OFFSET = "snowflake.metadata.offset.and.partition";
  public static final String META_CREATETIME = "snowflake.metadata.createtime";
  public static final String ERRORS_TOLERANCE = "errors.tolerance";
  public static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";

  /** Retries of a batch after a transient Snowflake fault (see {@link RetryKeys}). */
  public static final RetryKeys RETRY =
      new RetryKeys(
          "snowflake.retry.",
          "a transient Snowflake fault (Kafka Connect then delivers the batch again)",
          new RetryKeys.Defaults(
              Duration.ofSeconds(1), Duration.ofSeconds(10), 30, Duration.ofMinutes(15)));

  public static final String RETRY_BACKOFF = RETRY.backoff();
  public static final String RETRY_MAX = RETRY.maxAttempts();
  public static final String LOAD_CHECK_INTERVAL = "snowflake.load.check.interval.ms";
  public static final String LOAD_RETRY_MAX = "snowflake.load.retry.max.attempts";
  public static final String LOAD_RETRY_BACKOFF = "snowflake.load.retry.backoff.ms";
  public static final String NETWORK_TIMEOUT = "snowflake.network.timeout.ms";
  public static final String LOGIN_TIMEOUT = "snowflake.login.timeout.ms";
  public static final String STATEMENT_TIMEOUT = "snowflake.statement.timeout.ms";
  public static final String SNOWPIPE_TIMEOUT = "snowflake.snowpipe.request.timeout.ms";
  public static final String MODEL_VIEWS = "snowflake.model.views";
  public static final String MODEL_CURRENT_STATE = "snowflake.model.current_state";
  public static final String MODEL_TARGET_LAG = "snowflake.model.target_lag";
  public static final String MODEL_WAREHOUSE = "snowflake.model.warehouse";

  private static final String CONNECTION = "Connection";
  private static final String TABLES = "Tables and pipes";
  private static final String BUFFER = "Buffering";
  private static final String RECORDS = "Records";
  private static final String ERRORS = "Errors and retries";
  private static final String TIMEOUTS = "Timeouts";
  private static final String MODELS = "Models";
  private static final java.util.regex.Pattern TARGET_LAG =
      java.util.regex.Pattern.compile(
          "(?i)\\s*(\\d+)\\s*(second|seconds|minute|minutes|hour|hours|day|days)\\s*");

  /** What to do with a record whose value is null (a tombstone). */
  public enum NullValues {
    /** Load a row with empty content, as the official connector does. */
    DEFAULT,
    /** Skip the record. */
    IGNORE
  }

  public static final ConfigDef CONFIG_DEF = define();

  public SnowflakeSinkConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
    try {
      topicTableMap();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TOPIC2TABLE, getString(TOPIC2TABLE), e.getMessage());
    }
    modelProblems(this, originalsStrings())
        .forEach(
            (key, message) -> {
              throw new ConfigException(key, originals().get(key), message);
            });
  }

  /**
   * Cross-key problems of the model settings, by the key they are about, for a config whose keys
   * are each valid; {@code UnwrapChangeEvent} transforms in it are checked too.
   */
  public static Map<String, String> modelProblems(Map<String, String> props) {
    SnowflakeSinkConfig parsed = new SnowflakeSinkConfig(props, false);
    return modelProblems(parsed, props);
  }

  private SnowflakeSinkConfig(Map<?, ?> props, boolean unused) {
    super(CONFIG_DEF, props);
  }

  private static Map<String, String> modelProblems(
      SnowflakeSinkConfig config, Map<String, String> props) {
    Map<String, String> problems = new java.util.LinkedHashMap<>();
    RETRY.crossKeyError(config).ifPresent(e -> problems.put(e.getKey(), e.getValue()));
    ModelSettings.CurrentState current = config.currentState();
    if (current != ModelSettings.CurrentState.NONE) {
      List<String> unwrap = io.pgsnow.sink.model.UnwrapCheck.problems(props);
      if (!unwrap.isEmpty()) {
        problems.put(MODEL_CURRENT_STATE, String.join("; ", unwrap));
      }
    }
    if (current == ModelSettings.CurrentState.DYNAMIC_TABLE && config.modelWarehouse().isEmpty()) {
      problems.put(
          MODEL_WAREHOUSE,
          "A dynamic table refreshes on a warehouse: set "
              + MODEL_WAREHOUSE
              + " (or "
              + WAREHOUSE
              + "), or use "
              + MODEL_CURRENT_STATE
              + "=view");
    }
    if (current != ModelSettings.CurrentState.NONE && !config.getBoolean(META_ALL)) {
      problems.put(
          MODEL_CURRENT_STATE,
          "The current state is keyed by RECORD_METADATA:key, which "
              + META_ALL
              + "=false leaves out");
    }
    return problems;
  }

  private static ConfigDef define() {
    ConfigDef def = new ConfigDef();
    defineConnection(def);
    defineTables(def);
    defineBuffer(def);
    defineRecords(def);
    defineErrors(def);
    defineTimeouts(def);
    defineModels(def);
    return def;
  }

  private static void defineConnection(ConfigDef def) {
    int o = 0;
    def.define(
        URL,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        new ParsingValidator("a Snowflake account URL", v -> SnowflakeUrl.parse(v)),
        Importance.HIGH,
        "Snowflake account URL: <code>[https://]&lt;account&gt;.snowflakecomputing.com[:443]</code>;"
            + " <code>http://host:port</code> reaches a local endpoint without TLS.",
        CONNECTION,
        ++o,
        Width.LONG,
        "Account URL");
    def.define(
        USER,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        "Snowflake user that owns the key pair.",
        CONNECTION,
        ++o,
        Width.MEDIUM,
        "User");
    def.define(
        PRIVATE_KEY,
        Type.PASSWORD,
        ConfigDef.NO_DEFAULT_VALUE,
        Importance.HIGH,
        "The user's RSA private key: PEM with or without header lines and line breaks, PKCS#8 or"
            + " PKCS#1, or encrypted PKCS#8 with the passphrase below.",
        CONNECTION,
        ++o,
        Width.LONG,
        "Private key");
    def.define(
        PASSPHRASE,
        Type.PASSWORD,
        "",
        Importance.MEDIUM,
        "Passphrase of an encrypted private key.",
        CONNECTION,
        ++o,
        Width.MEDIUM,
        "Private key passphrase");
    def.define(
        DATABASE,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        identifier(),
        Importance.HIGH,
        "Database of the tables, stages and pipes.",
        CONNECTION,
        ++o,
        Width.MEDIUM,
        "Database");
    def.define(
        SCHEMA,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        identifier(),
        Importance.HIGH,
        "Schema of the tables, stages and pipes.",
        CONNECTION,
        ++o,
        Width.MEDIUM,
        "Schema");
    def.define(
        ROLE,
        Type.STRING,
        "",
        optionalIdentifier(),
        Importance.MEDIUM,
        "Role to use; empty uses the user's default role.",
        CONNECTION,
        ++o,
        Width.MEDIUM,
        "Role");
    def.define(
        WAREHOUSE,
        Type.STRING,
        "",
        optionalIdentifier(),
        Importance.LOW,
        "Warehouse for the statements the connector runs; Snowpipe itself needs none.",
        CONNECTION,
        ++o,
        Width.MEDIUM,
        "Warehouse");
  }

  private static void defineTables(ConfigDef def) {
    int o = 0;
    def.define(
        TOPIC2TABLE,
        Type.STRING,
        "",
        Importance.MEDIUM,
        "Comma-separated <code>topic:table</code> pairs. A key with regex metacharacters matches"
            + " whole topic names (<code>orders_.*:ORDERS</code>); several topics may share a"
            + " table. Unmapped topics get a table named after the topic (invalid characters"
            + " become underscores and a hash is appended, as the official connector does).",
        TABLES,
        ++o,
        Width.LONG,
        "Topic to table map");
    def.define(
        PIPE_PER_TABLE,
        Type.BOOLEAN,
        false,
        Importance.LOW,
        "Load all partitions of a table through one pipe"
            + " (<code>SNOWFLAKE_KAFKA_CONNECTOR_&lt;connector&gt;_PIPE_&lt;table&gt;</code>)"
            + " instead of one pipe per partition, which costs less.",
        TABLES,
        ++o,
        Width.SHORT,
        "One pipe per table");
    def.define(
        PURGE_LOADED,
        Type.BOOLEAN,
        true,
        Importance.LOW,
        "Remove each file from the table's stage once Snowpipe reports it LOADED, so the stage"
            + " holds only files whose load is still open (and failed ones, which the error table"
            + " names). A restarting task learns of loaded files from the pipe's load history."
            + " <code>false</code> keeps every file.",
        TABLES,
        ++o,
        Width.SHORT,
        "Remove loaded files");
    def.define(
        SCHEMATIZATION,
        Type.BOOLEAN,
        false,
        Importance.MEDIUM,
        "Create typed columns from the record schema instead of RECORD_CONTENT, and add a column"
            + " when a record brings a new field.",
        TABLES,
        ++o,
        Width.SHORT,
        "Schematization");
  }

  private static void defineBuffer(ConfigDef def) {
    int o = 0;
    def.define(
        BUFFER_COUNT,
        Type.LONG,
        10_000L,
        ConfigDef.Range.between(1, Integer.MAX_VALUE),
        Importance.MEDIUM,
        "Records per partition buffered before a file is written.",
        BUFFER,
        ++o,
        Width.SHORT,
        "Records per file");
    def.define(
        BUFFER_BYTES,
        Type.LONG,
        5_000_000L,
        ConfigDef.Range.atLeast(1),
        Importance.MEDIUM,
        "Uncompressed bytes per partition buffered before a file is written.",
        BUFFER,
        ++o,
        Width.SHORT,
        "Bytes per file");
    def.define(
        BUFFER_TIME,
        Type.LONG,
        120L,
        ConfigDef.Range.atLeast(1),
        Importance.MEDIUM,
        "Seconds after which a partition's buffer is written even if no more records come; a"
            + " background flusher also writes idle partitions.",
        BUFFER,
        ++o,
        Width.SHORT,
        "Flush time (s)");
    def.define(
        MAX_IN_FLIGHT,
        Type.INT,
        4,
        ConfigDef.Range.between(1, 64),
        Importance.LOW,
        "Files of a task sealed and waiting for or in their stage upload, at most. Uploads and"
            + " Snowpipe registration run on upload threads of their own (up to 8, one partition's"
            + " files in order); when this many files wait, put() waits for an upload to finish"
            + " (back-pressure) rather than buffering more. The task's buffered data is thereby"
            + " bounded: at most one open buffer per partition (<code>buffer.size.bytes</code> of"
            + " rows, held gzipped) plus this many gzipped files of at most as many rows.",
        BUFFER,
        ++o,
        Width.SHORT,
        "Files in flight");
  }

  private static void defineRecords(ConfigDef def) {
    int o = 0;
    def.define(
        NULL_VALUES,
        Type.STRING,
        NullValues.DEFAULT.name(),
        ConfigDef.CaseInsensitiveValidString.in("DEFAULT", "IGNORE"),
        Importance.LOW,
        "Records with a null value: DEFAULT loads a row with empty content, IGNORE skips them.",
        RECORDS,
        ++o,
        Width.SHORT,
        "Null values");
    o = metadataFlag(def, META_ALL, "all metadata (false writes an empty object)", o);
    o = metadataFlag(def, META_TOPIC, "the topic name", o);
    o = metadataFlag(def, META_OFFSET, "the offset and partition", o);
    metadataFlag(def, META_CREATETIME, "the record timestamp (CreateTime or LogAppendTime)", o);
  }

  private static int metadataFlag(ConfigDef def, String key, String what, int order) {
    def.define(
        key,
        Type.BOOLEAN,
        true,
        Importance.LOW,
        "Whether RECORD_METADATA holds " + what + ".",
        RECORDS,
        order + 1,
        Width.SHORT,
        "Metadata: " + key.substring("snowflake.metadata.".length()));
    return order + 1;
  }

  private static void defineErrors(ConfigDef def) {
    int o = 0;
    def.define(
        ERRORS_TOLERANCE,
        Type.STRING,
        "none",
        ConfigDef.CaseInsensitiveValidString.in("none", "all"),
        Importance.MEDIUM,
        "What happens to records that cannot become rows: records the sink cannot write (an"
            + " <code>io.debezium.data.Json</code> value that is not JSON, a row larger than a"
            + " VARIANT) and files Snowpipe rejects for their data (JSON it cannot parse, a value"
            + " its column cannot take, a value over a size limit; Snowflake's first error tells)."
            + " <code>none</code> fails the task with a message naming the topic, partition and"
            + " offsets (for a file: its path and Snowflake's error) and commits no offset from"
            + " there on. <code>all</code> reports each such record to the errant record reporter"
            + " (the dead letter queue when one is set, with the original record), counts it in"
            + " JMX (<code>ErrantRecords</code>, <code>FilesFailed</code>), logs it at ERROR and"
            + " goes on; a rejected file is also named in the connector's error table. The"
            + " records of a rejected file are read from Kafka again to be reported. Files that"
            + " fail for a transient reason are loaded again instead (see"
            + " <code>snowflake.load.retry.max.attempts</code>).",
        ERRORS,
        ++o,
        Width.SHORT,
        "Error tolerance");
    def.define(
        DLQ_TOPIC,
        Type.STRING,
        "",
        Importance.LOW,
        "Dead letter queue topic for errant records with <code>errors.tolerance=all</code>: records"
            + " the sink cannot write and the records of files Snowpipe rejected for their data,"
            + " as they were in Kafka (written by the Connect worker, with its error headers when"
            + " <code>errors.deadletterqueue.context.headers.enable=true</code>).",
        ERRORS,
        ++o,
        Width.MEDIUM,
        "Dead letter queue topic");
    o = RETRY.define(def, ERRORS, o + 1) - 1;
    def.define(
        LOAD_CHECK_INTERVAL,
        Type.LONG,
        1_000L,
        ConfigDef.Range.atLeast(100),
        Importance.LOW,
        "How often the background thread asks Snowpipe for load outcomes and has the staged files"
            + " registered; a buffer that falls due (<code>buffer.flush.time</code>) is written at"
            + " that moment, between two checks.",
        ERRORS,
        ++o,
        Width.SHORT,
        "Load check interval (ms)");
    defineLoadRetries(def, o);
  }

  private static void defineLoadRetries(ConfigDef def, int order) {
    int o = order;
    def.define(
        LOAD_RETRY_MAX,
        Type.INT,
        10,
        ConfigDef.Range.between(0, 1_000),
        Importance.MEDIUM,
        "How many times the task loads a file's offsets again after Snowpipe reported the file"
            + " LOAD_FAILED for a transient reason (an internal error, a stage file that could not"
            + " be read or was not found, an error it does not know as the data's fault)."
            + " Snowpipe never loads a file name twice, so each attempt is a new file"
            + " (<code>…_r&lt;n&gt;.json.gz</code>) with the same offsets, written from the records"
            + " read from Kafka again; an attempt is made only once the one before it failed, so"
            + " at most one loads. When the attempts are used up the task fails naming the file,"
            + " its offsets and Snowflake's error, whatever <code>errors.tolerance</code> says, and"
            + " commits no offset from the file on; a restarted task starts a new round of"
            + " attempts. 0 fails the task at the first transient load failure.",
        ERRORS,
        ++o,
        Width.SHORT,
        "Load retry attempts");
    def.define(
        LOAD_RETRY_BACKOFF,
        Type.LONG,
        5_000L,
        ConfigDef.Range.between(0, 600_000),
        Importance.LOW,
        "Wait before the first new attempt at loading a file that failed for a transient"
            + " reason; it doubles with each further attempt of the same file, up to 10 minutes."
            + " With the defaults the attempts span about 40 minutes. Offsets stay uncommitted"
            + " from the failed file on while the task keeps loading later records.",
        ERRORS,
        ++o,
        Width.SHORT,
        "Load retry back-off (ms)");
  }

  private static void defineTimeouts(ConfigDef def) {
    int o = 0;
    def.define(
        NETWORK_TIMEOUT,
        Type.LONG,
        120_000L,
        ConfigDef.Range.between(1_000, Integer.MAX_VALUE),
        Importance.LOW,
        "The JDBC driver's network timeout (also its HTTP socket timeout): how long it keeps"
            + " retrying failed requests of a statement or stage upload before it gives up; the"
            + " batch is then retried after the back-off. Driver 3.24 still waits for one slow or"
            + " missing answer: the login and statement timeouts below bound that.",
        TIMEOUTS,
        ++o,
        Width.SHORT,
        "Network timeout (ms)");
    def.define(
        LOGIN_TIMEOUT,
        Type.LONG,
        60_000L,
        ConfigDef.Range.between(1_000, Integer.MAX_VALUE),
        Importance.LOW,
        "How long the task waits for a JDBC (key-pair) login. The driver gets it as its login"
            + " timeout (whole seconds, rounded up), but driver 3.24 retries a key-pair login the"
            + " service does not answer forever (a new JWT every 10 s), so the task logs in on a"
            + " separate thread and stops waiting after this long: the batch is retried after the"
            + " back-off, and the retry waits for that same login again rather than starting"
            + " another. A session it opens after the task stopped is closed.",
        TIMEOUTS,
        ++o,
        Width.SHORT,
        "Login timeout (ms)");
    def.define(
        STATEMENT_TIMEOUT,
        Type.LONG,
        120_000L,
        ConfigDef.Range.between(1_000, Integer.MAX_VALUE),
        Importance.LOW,
        "How long one JDBC statement (USE, CREATE, DESC, LIST, ALTER, error-table INSERT) may"
            + " run: it is the statement's query timeout (whole seconds, rounded up), after which"
            + " the driver cancels it (Snowflake error 604, SQLSTATE 57014), a transient fault: the"
            + " batch is retried after the back-off. Driver 3.24 waits minutes for a request the"
            + " service does not answer at all, so the task stops waiting for a statement or a"
            + " stage upload (which takes no query timeout) after this plus the network timeout,"
            + " logs in again for the retry and closes the old session once the abandoned call"
            + " ends. Offsets are committed only for files Snowpipe loaded, so no retry skips a"
            + " record.",
        TIMEOUTS,
        ++o,
        Width.SHORT,
        "Statement timeout (ms)");
    def.define(
        SNOWPIPE_TIMEOUT,
        Type.LONG,
        120_000L,
        ConfigDef.Range.between(1_000, Integer.MAX_VALUE),
        Importance.LOW,
        "How long the task waits for a Snowpipe REST call (insertFiles, insertReport,"
            + " loadHistoryScan) before it gives up and retries later. Registering a file again"
            + " is safe: Snowpipe skips files it loaded.",
        TIMEOUTS,
        ++o,
        Width.SHORT,
        "Snowpipe request timeout (ms)");
  }

  private static void defineModels(ConfigDef def) {
    int o = 0;
    def.define(
        MODEL_VIEWS,
        Type.BOOLEAN,
        false,
        Importance.MEDIUM,
        "Keep a typed view <code>&lt;TABLE&gt;_VIEW</code> over each table: one row per change,"
            + " one column per field of the row (<code>after</code> of a change event, the value"
            + " itself otherwise) typed from the Connect schema or inferred from schemaless JSON,"
            + " plus <code>CREATED_AT</code>, <code>_OPERATION</code>, <code>_COMMIT_LSN</code>,"
            + " <code>_EVENT_INDEX</code> and the Kafka topic, partition and offset. Created when"
            + " the table's first record arrives, replaced when the row gains a field, never"
            + " dropped. A view costs nothing until it is queried.",
        MODELS,
        ++o,
        Width.SHORT,
        "Typed views");
    def.define(
        MODEL_CURRENT_STATE,
        Type.STRING,
        "none",
        ConfigDef.CaseInsensitiveValidString.in("none", "view", "dynamic_table"),
        Importance.MEDIUM,
        "Keep <code>&lt;TABLE&gt;_CURRENT</code> over each table whose records have a key: one"
            + " row per key with its latest state, chosen by the source position (commit LSN,"
            + " then the change's index in its transaction), never by Kafka offset or arrival."
            + " A delete removes the key, a truncate (emitted by the source with"
            + " skipped.operations=none) every earlier row, an unchanged TOAST value keeps the"
            + " previous one. 'dynamic_table' refreshes on a warehouse within"
            + " <code>"
            + MODEL_TARGET_LAG
            + "</code> (it costs warehouse time per refresh); 'view' computes it at each query"
            + " (for accounts without dynamic tables); 'none' keeps nothing. Records must carry"
            + " the pgsnow source's <code>commit_lsn</code> and <code>event_index</code>: in the"
            + " envelope, or added by UnwrapChangeEvent with"
            + " <code>add.fields=op,commit_lsn,event_index</code> and"
            + " <code>delete.tombstone.handling.mode=rewrite</code>.",
        MODELS,
        ++o,
        Width.SHORT,
        "Current state");
    def.define(
        MODEL_TARGET_LAG,
        Type.STRING,
        "1 minute",
        new ParsingValidator(
            "'DOWNSTREAM' or '<n> seconds|minutes|hours|days', at least 1 minute",
            SnowflakeSinkConfig::checkTargetLag),
        Importance.LOW,
        "The dynamic table's TARGET_LAG: how stale <code>&lt;TABLE&gt;_CURRENT</code> may be."
            + " A shorter lag refreshes more often and costs more warehouse time.",
        MODELS,
        ++o,
        Width.SHORT,
        "Target lag");
    def.define(
        MODEL_WAREHOUSE,
        Type.STRING,
        "",
        optionalIdentifier(),
        Importance.MEDIUM,
        "The warehouse that refreshes the dynamic tables; empty: <code>"
            + WAREHOUSE
            + "</code>. Required (one or the other) with <code>"
            + MODEL_CURRENT_STATE
            + "=dynamic_table</code>.",
        MODELS,
        ++o,
        Width.MEDIUM,
        "Model warehouse");
  }

  private static void checkTargetLag(String value) {
    if (value.trim().equalsIgnoreCase("DOWNSTREAM")) {
      return;
    }
    var m = TARGET_LAG.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Not a target lag: use DOWNSTREAM or a number of seconds, minutes, hours or days");
    }
    // A minute is the least: fewer than 60 seconds, or none of any unit, is less.
    long n = Long.parseLong(m.group(1));
    boolean belowMinute = n == 0 || (m.group(2).toLowerCase(Locale.ROOT).startsWith("s") && n < 60);
    if (belowMinute) {
      throw new IllegalArgumentException("Snowflake's shortest target lag is 1 minute");
    }
  }

  private static ConfigDef.Validator identifier() {
    return new ParsingValidator("a Snowflake identifier", Identifier::parse);
  }

  private static ConfigDef.Validator optionalIdentifier() {
    return new ParsingValidator(
        "empty or a Snowflake identifier",
        v -> {
          if (!v.isEmpty()) {
            Identifier.parse(v);
          }
        });
  }

  public SnowflakeUrl url() {
    return SnowflakeUrl.parse(getString(URL));
  }

  public String user() {
    return getString(USER);
  }

  public Password privateKey() {
    return getPassword(PRIVATE_KEY);
  }

  public Password passphrase() {
    return getPassword(PASSPHRASE);
  }

  public Identifier database() {
    return Identifier.parse(getString(DATABASE));
  }

  public Identifier schema() {
    return Identifier.parse(getString(SCHEMA));
  }

  public Optional<Identifier> role() {
    return optional(getString(ROLE));
  }

  public Optional<Identifier> warehouse() {
    return optional(getString(WAREHOUSE));
  }

  private static Optional<Identifier> optional(String value) {
    return value == null || value.isEmpty()
        ? Optional.empty()
        : Optional.of(Identifier.parse(value));
  }

  public ModelSettings.CurrentState currentState() {
    return ModelSettings.CurrentState.valueOf(
        getString(MODEL_CURRENT_STATE).toUpperCase(Locale.ROOT));
  }

  public Optional<Identifier> modelWarehouse() {
    Optional<Identifier> own = optional(getString(MODEL_WAREHOUSE));
    return own.isPresent() ? own : warehouse();
  }

  public ModelSettings modelSettings() {
    return new ModelSettings(
        getBoolean(MODEL_VIEWS),
        currentState(),
        getString(MODEL_TARGET_LAG).trim(),
        modelWarehouse());
  }

  public TopicTableMap topicTableMap() {
    return TopicTableMap.parse(getString(TOPIC2TABLE));
  }

  public boolean purgeLoaded() {
    return getBoolean(PURGE_LOADED);
  }

  public boolean pipePerTable() {
    return getBoolean(PIPE_PER_TABLE);
  }

  public boolean schematization() {
    return getBoolean(SCHEMATIZATION);
  }

  public SealPolicy sealPolicy() {
    return new SealPolicy(
        getLong(BUFFER_COUNT).intValue(),
        getLong(BUFFER_BYTES),
        Duration.ofSeconds(getLong(BUFFER_TIME)));
  }

  /** Sealed files of the task waiting for or in their upload, at most. */
  public int maxInFlightFiles() {
    return getInt(MAX_IN_FLIGHT);
  }

  public NullValues nullValues() {
    return NullValues.valueOf(getString(NULL_VALUES).toUpperCase(Locale.ROOT));
  }

  public MetadataFields metadataFields() {
    return new MetadataFields(
        getBoolean(META_ALL),
        getBoolean(META_TOPIC),
        getBoolean(META_OFFSET),
        getBoolean(META_CREATETIME));
  }

  public boolean toleratesBadRecords() {
    return getString(ERRORS_TOLERANCE).equalsIgnoreCase("all");
  }

  /** How long the clients wait for Snowflake. */
  public ClientTimeouts clientTimeouts() {
    return new ClientTimeouts(
        networkTimeout(), loginTimeout(), statementTimeout(), snowpipeRequestTimeout());
  }

  /** How put() retries a batch after a transient Snowflake fault. */
  public RetryPolicy retryPolicy() {
    return RETRY.policy(this);
  }

  public int loadRetryMaxAttempts() {
    return getInt(LOAD_RETRY_MAX);
  }

  public Duration loadRetryBackoff() {
    return Duration.ofMillis(getLong(LOAD_RETRY_BACKOFF));
  }

  public Duration loadCheckInterval() {
    return Duration.ofMillis(getLong(LOAD_CHECK_INTERVAL));
  }

  public Duration networkTimeout() {
    return Duration.ofMillis(getLong(NETWORK_TIMEOUT));
  }

  public Duration loginTimeout() {
    return Duration.ofMillis(getLong(LOGIN_TIMEOUT));
  }

  public Duration statementTimeout() {
    return Duration.ofMillis(getLong(STATEMENT_TIMEOUT));
  }

  public Duration snowpipeRequestTimeout() {
    return Duration.ofMillis(getLong(SNOWPIPE_TIMEOUT));
  }
}
