package io.pgsnow.source;

import io.pgsnow.common.retry.RetryKeys;
import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.source.config.ChainLookupTopics;
import io.pgsnow.source.config.ColumnFilterKeys;
import io.pgsnow.source.config.ConnectionOptions;
import io.pgsnow.source.config.DecimalHandling;
import io.pgsnow.source.config.MessageKeyColumns;
import io.pgsnow.source.config.Operation;
import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.config.SchemaNameAdjustment;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.config.TypeOptions;
import io.pgsnow.source.config.UnsupportedDebeziumKeys;
import io.pgsnow.source.heartbeat.HeartbeatOptions;
import io.pgsnow.source.snapshot.SnapshotConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The source connector's configuration. Key names follow Debezium's PostgreSQL connector and
 * Confluent Cloud's Postgres CDC Source V2, so existing configs keep working.
 */
public final class PostgresCdcSourceConfig extends AbstractConfig {

  public static final String HOSTNAME = "database.hostname";
  public static final String PORT = "database.port";
  public static final String USER = "database.user";
  public static final String PASSWORD = "database.password";
  public static final String DBNAME = "database.dbname";
  public static final String SSLMODE = "database.sslmode";
  public static final String SSLROOTCERT = "database.sslrootcert";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String SERVER_NAME = "database.server.name";
  public static final String TABLE_INCLUDE = "table.include.list";
  public static final String TABLE_EXCLUDE = "table.exclude.list";
  public static final String SCHEMA_INCLUDE = "schema.include.list";
  public static final String SCHEMA_EXCLUDE = "schema.exclude.list";
  public static final String PLUGIN_NAME = "plugin.name";
  public static final String SLOT_NAME = "slot.name";
  public static final String SLOT_DROP_ON_STOP = "slot.drop.on.stop";
  public static final String PUBLICATION_NAME = "publication.name";
  public static final String PUBLICATION_AUTOCREATE = "publication.autocreate.mode";
  public static final String TOMBSTONES_ON_DELETE = "tombstones.on.delete";
  public static final String PROVIDE_TRANSACTION_METADATA = "provide.transaction.metadata";
  public static final String TOPIC_TRANSACTION = "topic.transaction";
  public static final String SKIPPED_OPERATIONS = "skipped.operations";
  public static final String DECIMAL_HANDLING = "decimal.handling.mode";
  public static final String SCHEMA_NAME_ADJUSTMENT = "schema.name.adjustment.mode";
  public static final String RECORD_SIZE_MAX_BYTES = "record.size.max.bytes";

  /** The producer setting a connector overrides to send larger records. */
  public static final String PRODUCER_MAX_REQUEST_SIZE = "producer.override.max.request.size";

  /** Kafka's default {@code max.request.size}: the largest record a producer sends. */
  public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

  public static final String MAX_BATCH_SIZE = "max.batch.size";
  public static final String MAX_QUEUE_SIZE = "max.queue.size";
  public static final String POLL_INTERVAL_MS = "poll.interval.ms";
  public static final String STATUS_UPDATE_INTERVAL_MS = "status.update.interval.ms";

  /** Reconnects of the replication stream after a transient failure (see {@link RetryKeys}). */
  public static final RetryKeys REPLICATION_RETRY =
      new RetryKeys(
          "replication.retry.",
          "a transient failure of the replication connection (it reconnects from the last record"
              + " queued)",
          new RetryKeys.Defaults(
              Duration.ofSeconds(1), Duration.ofSeconds(10), 11, Duration.ofMinutes(10)));

  public static final String STREAMING_MODE = "pgoutput.streaming";
  public static final String STREAMING_MAX_BUFFERED_BYTES = "pgoutput.streaming.max.buffered.bytes";

  private static final String GROUP_CONNECTION = "Connection";
  private static final String GROUP_CAPTURE = "Capture";
  private static final String GROUP_REPLICATION = "Replication";
  private static final String GROUP_EVENTS = "Events";
  private static final String GROUP_PERFORMANCE = "Performance";

  public static final ConfigDef CONFIG_DEF = configDef();

  private final TableFilter tableFilter;
  private final SnapshotConfig snapshot;
  private final Set<String> chainLookupTopics;

  public PostgresCdcSourceConfig(Map<String, String> props) {
    super(CONFIG_DEF, withAliases(props), false);
    UnsupportedDebeziumKeys.errors(props, CONFIG_DEF).entrySet().stream()
        .findFirst()
        .ifPresent(
            e -> {
              throw new ConfigException(e.getKey(), props.get(e.getKey()), e.getValue());
            });
    REPLICATION_RETRY
        .crossKeyError(this)
        .ifPresent(
            e -> {
              throw new ConfigException(e.getKey(), props.get(e.getKey()), e.getValue());
            });
    if (topicPrefix().isBlank()) {
      throw new ConfigException(
          TOPIC_PREFIX, "", "Set topic.prefix (or its alias database.server.name)");
    }
    this.tableFilter =
        new TableFilter(
                patterns(SCHEMA_INCLUDE),
                patterns(SCHEMA_EXCLUDE),
                patterns(TABLE_INCLUDE),
                patterns(TABLE_EXCLUDE))
            .withColumns(patterns(ColumnFilterKeys.INCLUDE), patterns(ColumnFilterKeys.EXCLUDE))
            .withMessageKeys(MessageKeyColumns.parse(getString(MessageKeyColumns.KEY)));
    ColumnFilterKeys.errors(props).entrySet().stream()
        .findFirst()
        .ifPresent(
            e -> {
              throw new ConfigException(e.getKey(), props.get(e.getKey()), e.getValue());
            });
    this.snapshot = new SnapshotConfig(this);
    this.chainLookupTopics = ChainLookupTopics.of(props);
  }

  /**
   * The topics that LookupJoin transforms of this connector's chain read as lookup tables; the
   * snapshot reads the captured tables writing them before all others.
   */
  public Set<String> chainLookupTopics() {
    return chainLookupTopics;
  }

  public SnapshotConfig snapshot() {
    return snapshot;
  }

  /** {@code database.server.name} is the pre-2.0 Debezium name of {@code topic.prefix}. */
  static Map<String, String> withAliases(Map<String, String> props) {
    Map<String, String> copy = new HashMap<>(props);
    String prefix = copy.get(TOPIC_PREFIX);
    if ((prefix == null || prefix.isBlank()) && copy.get(SERVER_NAME) != null) {
      copy.put(TOPIC_PREFIX, copy.get(SERVER_NAME));
    }
    return copy;
  }

  private static ConfigDef configDef() {
    ConfigDef def = new ConfigDef();
    defineConnection(def);
    defineCapture(def);
    defineReplication(def);
    defineEvents(def);
    definePerformance(def);
    TypeOptions.define(def);
    SnapshotConfig.define(def);
    HeartbeatOptions.define(def);
    return def;
  }

  private static void defineConnection(ConfigDef def) {
    int order = 0;
    def.define(
        HOSTNAME,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        "Host name or IP address of the PostgreSQL server.",
        GROUP_CONNECTION,
        ++order,
        Width.MEDIUM,
        "Host");
    def.define(
        PORT,
        Type.INT,
        5432,
        ConfigDef.Range.between(1, 65535),
        Importance.HIGH,
        "Port of the PostgreSQL server.",
        GROUP_CONNECTION,
        ++order,
        Width.SHORT,
        "Port");
    def.define(
        USER,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        "Database user. It needs the REPLICATION attribute (or superuser), SELECT on the captured"
            + " tables and, unless publication.autocreate.mode=disabled, the right to create the"
            + " publication.",
        GROUP_CONNECTION,
        ++order,
        Width.MEDIUM,
        "User");
    def.define(
        PASSWORD,
        Type.PASSWORD,
        null,
        Importance.HIGH,
        "Password of the database user.",
        GROUP_CONNECTION,
        ++order,
        Width.MEDIUM,
        "Password");
    def.define(
        DBNAME,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        "Name of the database to capture.",
        GROUP_CONNECTION,
        ++order,
        Width.MEDIUM,
        "Database");
    def.define(
        SSLMODE,
        Type.STRING,
        "prefer",
        ConfigDef.CaseInsensitiveValidString.in(
            "disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
        Importance.MEDIUM,
        "SSL mode of the database connections, as libpq's sslmode: disable, allow, prefer, require,"
            + " verify-ca or verify-full.",
        GROUP_CONNECTION,
        ++order,
        Width.SHORT,
        "SSL mode");
    def.define(
        SSLROOTCERT,
        Type.STRING,
        null,
        Importance.LOW,
        "Path of the root certificate file that verifies the server (verify-ca, verify-full).",
        GROUP_CONNECTION,
        ++order,
        Width.LONG,
        "SSL root certificate");
  }

  private static void defineCapture(ConfigDef def) {
    int order = 0;
    def.define(
        TOPIC_PREFIX,
        Type.STRING,
        "",
        TopicPrefixValidator.INSTANCE,
        Importance.HIGH,
        "Prefix of the topic names: changes of table S.T go to <topic.prefix>.S.T, where every"
            + " character a Kafka topic name cannot hold (anything but a-z, A-Z, 0-9, '.', '_' and"
            + " '-') becomes '_' and names are cut at 249 characters, as Debezium does; the task"
            + " logs each table it renames. Two tables whose topics would be equal, or differ"
            + " only in '.' versus '_' (which Kafka cannot hold side by side), are refused by"
            + " validate() on table.include.list, and at run time when such a table appears. The"
            + " prefix itself may hold only a-z, A-Z, 0-9, '.', '_' and '-'. Also names the"
            + " source partition of the offsets, so do not change it on a running connector.",
        GROUP_CAPTURE,
        ++order,
        Width.MEDIUM,
        "Topic prefix");
    def.define(
        SERVER_NAME,
        Type.STRING,
        null,
        Importance.LOW,
        "Deprecated alias of topic.prefix, accepted for older Debezium configs.",
        GROUP_CAPTURE,
        ++order,
        Width.MEDIUM,
        "Server name (alias)");
    def.define(
        SCHEMA_INCLUDE,
        Type.LIST,
        "",
        RegexListValidator.INSTANCE,
        Importance.MEDIUM,
        "Comma-separated regular expressions matching the schema names to capture (whole-name"
            + " match). Empty means every schema not excluded.",
        GROUP_CAPTURE,
        ++order,
        Width.LONG,
        "Schemas to include");
    def.define(
        SCHEMA_EXCLUDE,
        Type.LIST,
        "",
        RegexListValidator.INSTANCE,
        Importance.MEDIUM,
        "Comma-separated regular expressions matching the schema names not to capture.",
        GROUP_CAPTURE,
        ++order,
        Width.LONG,
        "Schemas to exclude");
    def.define(
        TABLE_INCLUDE,
        Type.LIST,
        "",
        RegexListValidator.INSTANCE,
        Importance.HIGH,
        "Comma-separated regular expressions matching the tables to capture, as schema.table"
            + " (whole-name match). Empty means every table not excluded.",
        GROUP_CAPTURE,
        ++order,
        Width.LONG,
        "Tables to include");
    def.define(
        TABLE_EXCLUDE,
        Type.LIST,
        "",
        RegexListValidator.INSTANCE,
        Importance.MEDIUM,
        "Comma-separated regular expressions matching the tables (schema.table) not to capture.",
        GROUP_CAPTURE,
        ++order,
        Width.LONG,
        "Tables to exclude");
    ColumnFilterKeys.define(def, RegexListValidator.INSTANCE, GROUP_CAPTURE, ++order);
    ++order;
    MessageKeyColumns.define(def, GROUP_CAPTURE, ++order);
  }

  private static void defineReplication(ConfigDef def) {
    int order = 0;
    def.define(
        PLUGIN_NAME,
        Type.STRING,
        "pgoutput",
        ConfigDef.ValidString.in("pgoutput"),
        Importance.LOW,
        "Logical decoding plugin. Only the built-in pgoutput is supported: it needs no server"
            + " extension.",
        GROUP_REPLICATION,
        ++order,
        Width.SHORT,
        "Decoding plugin");
    def.define(
        SLOT_NAME,
        Type.STRING,
        "pgsnow",
        new SlotNameValidator(),
        Importance.HIGH,
        "Name of the logical replication slot; created at startup when missing. Each connector"
            + " needs its own slot.",
        GROUP_REPLICATION,
        ++order,
        Width.MEDIUM,
        "Slot name");
    def.define(
        SLOT_DROP_ON_STOP,
        Type.BOOLEAN,
        false,
        Importance.LOW,
        "Drop the replication slot when the task stops. Only for tests and throw-away"
            + " environments: the next start misses every change made while stopped.",
        GROUP_REPLICATION,
        ++order,
        Width.SHORT,
        "Drop slot on stop");
    def.define(
        PUBLICATION_NAME,
        Type.STRING,
        "pgsnow_publication",
        new ConfigDef.NonEmptyString(),
        Importance.MEDIUM,
        "Name of the publication that selects the tables streamed by pgoutput.",
        GROUP_REPLICATION,
        ++order,
        Width.MEDIUM,
        "Publication name");
    def.define(
        PUBLICATION_AUTOCREATE,
        Type.STRING,
        "all_tables",
        ConfigDef.CaseInsensitiveValidString.in("all_tables", "filtered", "disabled"),
        Importance.MEDIUM,
        "all_tables: create the publication FOR ALL TABLES when missing (needs superuser)."
            + " filtered: create it, or update its table list, for exactly the tables matched by"
            + " the include/exclude lists. disabled: the publication must exist.",
        GROUP_REPLICATION,
        ++order,
        Width.SHORT,
        "Publication autocreate mode");
    defineStreaming(def, order);
  }

  /** In-progress streaming and status updates, after the replication keys ordered up to here. */
  private static void defineStreaming(ConfigDef def, int firstOrder) {
    int order = firstOrder;
    def.define(
        STREAMING_MODE,
        Type.BOOLEAN,
        true,
        Importance.LOW,
        "On PostgreSQL 14 and later, ask pgoutput (protocol v2) to stream large in-progress"
            + " transactions instead of spilling them to disk on the server; the connector holds"
            + " them until they commit and drops them when they abort.",
        GROUP_REPLICATION,
        ++order,
        Width.SHORT,
        "Stream in-progress transactions");
    def.define(
        STREAMING_MAX_BUFFERED_BYTES,
        Type.LONG,
        128L << 20,
        ConfigDef.Range.atLeast(1L << 20),
        Importance.LOW,
        "The most the task holds of streamed in-progress transactions (their column bytes plus"
            + " about 100 bytes per change). When a transaction outgrows it, the task drops what it"
            + " holds and reopens the stream from its last record without in-progress streaming,"
            + " so PostgreSQL keeps large transactions on its own disk and sends them at commit;"
            + " nothing is lost or repeated. Counted by the StreamingFallbacks metric.",
        GROUP_REPLICATION,
        ++order,
        Width.SHORT,
        "In-progress transaction memory");
    def.define(
        STATUS_UPDATE_INTERVAL_MS,
        Type.LONG,
        10_000L,
        ConfigDef.Range.atLeast(100),
        Importance.LOW,
        "How often, in milliseconds, the connector sends a status update (keepalive and the"
            + " confirmed position) to the server, from its own thread.",
        GROUP_REPLICATION,
        ++order,
        Width.SHORT,
        "Status update interval");
    REPLICATION_RETRY.define(def, GROUP_REPLICATION, order + 1);
  }

  private static void defineEvents(ConfigDef def) {
    int order = 0;
    def.define(
        TOMBSTONES_ON_DELETE,
        Type.BOOLEAN,
        true,
        Importance.MEDIUM,
        "Follow each delete event with a tombstone (same key, null value) so that log compaction"
            + " can remove the key.",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Tombstones on delete");
    def.define(
        PROVIDE_TRANSACTION_METADATA,
        Type.BOOLEAN,
        false,
        Importance.LOW,
        "As Debezium: fill each streamed change event's transaction block (id:"
            + " <transaction id>:<its commit LSN>; total_order and data_collection_order: the event's 1-based order"
            + " in the transaction and among its events of the same table) and write a BEGIN and"
            + " an END record per transaction to <topic.prefix>.<topic.transaction>, keyed by the"
            + " id, with schemas io.debezium.connector.common.TransactionMetadataKey/Value; END"
            + " counts the events per table. These records carry offsets like change events, so"
            + " a restart neither repeats nor loses one (exactly once with the worker's"
            + " exactly.once.source.support). Snapshot records have no transaction block.",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Provide transaction metadata");
    def.define(
        TOPIC_TRANSACTION,
        Type.STRING,
        "transaction",
        new ConfigDef.NonEmptyString(),
        Importance.LOW,
        "The name of the transaction metadata topic after <topic.prefix>. (Debezium's"
            + " topic.transaction).",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Transaction topic");
    def.define(
        SKIPPED_OPERATIONS,
        Type.LIST,
        "t",
        SkippedOperationsValidator.INSTANCE,
        Importance.LOW,
        "Comma-separated operations not to emit: c (insert), u (update), d (delete), t"
            + " (truncate), or none.",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Skipped operations");
    def.define(
        DECIMAL_HANDLING,
        Type.STRING,
        "precise",
        ConfigDef.CaseInsensitiveValidString.in("precise", "double", "string"),
        Importance.MEDIUM,
        "precise: numeric as Connect Decimal (unconstrained numeric as a {scale, value} struct),"
            + " money as a Decimal of scale money.fraction.digits. double: as float64. string: as"
            + " its exact text. NaN and Infinity, which a Decimal cannot hold, are sent in"
            + " precise mode as null with the value's text in header pgsnow.special.<column>,"
            + " counted by the SpecialValues metric and logged once per column; double and"
            + " string hold them.",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Decimal handling");
    defineRecordShape(def, order);
  }

  /** Schema names and record sizes, after the event keys ordered up to here. */
  private static void defineRecordShape(ConfigDef def, int firstOrder) {
    int order = firstOrder;
    def.define(
        SCHEMA_NAME_ADJUSTMENT,
        Type.STRING,
        "avro",
        ConfigDef.CaseInsensitiveValidString.in("avro", "none"),
        Importance.LOW,
        "The Connect schemas of a table are named <topic>.Key, <topic>.Value and"
            + " <topic>.Envelope. avro: make these valid Avro full names, which the Avro and Protobuf"
            + " converters and their schema registries need ('-' becomes '_', a part"
            + " starting with a digit gets a leading '_'); names already valid are unchanged."
            + " none: use the topic name as it is.",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Schema name adjustment");
    def.define(
        RECORD_SIZE_MAX_BYTES,
        Type.INT,
        null,
        ConfigDef.LambdaValidator.with(
            (name, value) -> {
              if (value != null && (Integer) value < 0) {
                throw new ConfigException(name, value, "Must be 0 (no check) or more");
              }
            },
            () -> "empty, 0 or a positive number of bytes"),
        Importance.MEDIUM,
        "The largest record the task hands to Kafka Connect, counted as the bytes of its key,"
            + " column values and headers: a lower bound of what any converter writes. A larger"
            + " record fails the task with a message naming the table, the key, the size and the"
            + " settings to raise, before the producer would refuse it with"
            + " RecordTooLargeException; nothing is skipped, the task resumes from that change"
            + " once the limits are raised. Empty: the connector's"
            + " producer.override.max.request.size when set, otherwise 1048576 (the producer's"
            + " default max.request.size). Set it when the worker's producer.max.request.size"
            + " is raised instead; 0 turns the check off. Larger records also need the topic's"
            + " max.message.bytes raised (topic.creation.default.max.message.bytes for topics"
            + " the connector creates).",
        GROUP_EVENTS,
        ++order,
        Width.SHORT,
        "Record size limit");
  }

  private static void definePerformance(ConfigDef def) {
    int order = 0;
    def.define(
        MAX_BATCH_SIZE,
        Type.INT,
        2048,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        "Most records returned by one poll.",
        GROUP_PERFORMANCE,
        ++order,
        Width.SHORT,
        "Max batch size");
    def.define(
        MAX_QUEUE_SIZE,
        Type.INT,
        8192,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        "Most records decoded ahead of Kafka. When full, reading from the server pauses while"
            + " keepalives go on.",
        GROUP_PERFORMANCE,
        ++order,
        Width.SHORT,
        "Max queue size");
    def.define(
        POLL_INTERVAL_MS,
        Type.LONG,
        100L,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        "Longest time, in milliseconds, a poll waits for the first record.",
        GROUP_PERFORMANCE,
        ++order,
        Width.SHORT,
        "Poll interval");
  }

  private List<Pattern> patterns(String key) {
    List<Pattern> result = new ArrayList<>();
    for (String regex : getList(key)) {
      if (!regex.isBlank()) {
        result.add(Pattern.compile(regex.trim()));
      }
    }
    return result;
  }

  /** Where and as whom to connect. */
  public ConnectionOptions connectionOptions() {
    return new ConnectionOptions(
        hostname(),
        port(),
        dbname(),
        user(),
        password(),
        sslmode(),
        sslRootCert(),
        connectorName());
  }

  public String hostname() {
    return getString(HOSTNAME);
  }

  public int port() {
    return getInt(PORT);
  }

  public String user() {
    return getString(USER);
  }

  public Optional<Password> password() {
    return Optional.ofNullable(getPassword(PASSWORD));
  }

  public String dbname() {
    return getString(DBNAME);
  }

  public String sslmode() {
    return getString(SSLMODE).toLowerCase(Locale.ROOT);
  }

  public Optional<String> sslRootCert() {
    return Optional.ofNullable(getString(SSLROOTCERT));
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX);
  }

  public TableFilter tableFilter() {
    return tableFilter;
  }

  /** The connector's name as Kafka Connect passes it to the task; the slot name otherwise. */
  public String connectorName() {
    Object name = originals().get("name");
    return name == null ? slotName() : name.toString();
  }

  public String slotName() {
    return getString(SLOT_NAME);
  }

  public boolean dropSlotOnStop() {
    return getBoolean(SLOT_DROP_ON_STOP);
  }

  public String publicationName() {
    return getString(PUBLICATION_NAME);
  }

  public PublicationAutocreate publicationAutocreate() {
    return PublicationAutocreate.valueOf(
        getString(PUBLICATION_AUTOCREATE).toUpperCase(Locale.ROOT));
  }

  public boolean streamInProgress() {
    return getBoolean(STREAMING_MODE);
  }

  public long streamingMaxBufferedBytes() {
    return getLong(STREAMING_MAX_BUFFERED_BYTES);
  }

  /** How the replication stream reconnects after transient failures. */
  public RetryPolicy replicationRetry() {
    return REPLICATION_RETRY.policy(this);
  }

  public Duration statusUpdateInterval() {
    return Duration.ofMillis(getLong(STATUS_UPDATE_INTERVAL_MS));
  }

  /** The transaction metadata topic, when provide.transaction.metadata is set. */
  public Optional<String> transactionTopic() {
    return getBoolean(PROVIDE_TRANSACTION_METADATA)
        ? Optional.of(topicPrefix() + "." + getString(TOPIC_TRANSACTION))
        : Optional.empty();
  }

  public boolean tombstonesOnDelete() {
    return getBoolean(TOMBSTONES_ON_DELETE);
  }

  public Set<Operation> skippedOperations() {
    Set<Operation> ops = new java.util.HashSet<>();
    for (String code : getList(SKIPPED_OPERATIONS)) {
      Operation.ofCode(code.trim().toLowerCase(Locale.ROOT)).ifPresent(ops::add);
    }
    return ops;
  }

  public DecimalHandling decimalHandling() {
    return DecimalHandling.valueOf(getString(DECIMAL_HANDLING).toUpperCase(Locale.ROOT));
  }

  public TypeOptions typeOptions() {
    return TypeOptions.of(this);
  }

  public HeartbeatOptions heartbeatOptions() {
    return HeartbeatOptions.of(this);
  }

  public SchemaNameAdjustment schemaNameAdjustment() {
    return SchemaNameAdjustment.valueOf(getString(SCHEMA_NAME_ADJUSTMENT).toUpperCase(Locale.ROOT));
  }

  /**
   * The largest record to hand to Kafka Connect, and where that limit comes from; a limit of 0
   * means no check.
   */
  public RecordSizeLimitSetting recordSizeLimit() {
    Integer explicit = getInt(RECORD_SIZE_MAX_BYTES);
    if (explicit != null) {
      return new RecordSizeLimitSetting(explicit, RECORD_SIZE_MAX_BYTES);
    }
    Object override = originals().get(PRODUCER_MAX_REQUEST_SIZE);
    if (override != null) {
      try {
        return new RecordSizeLimitSetting(
            Integer.parseInt(override.toString().trim()), PRODUCER_MAX_REQUEST_SIZE);
      } catch (NumberFormatException e) {
        // Connect rejects a malformed producer override itself; fall back to the default.
      }
    }
    return new RecordSizeLimitSetting(
        DEFAULT_MAX_REQUEST_SIZE, "the producer's default max.request.size");
  }

  /** A record size limit in bytes and the setting it comes from. */
  public record RecordSizeLimitSetting(int bytes, String source) {}

  public int maxBatchSize() {
    return getInt(MAX_BATCH_SIZE);
  }

  public int maxQueueSize() {
    return getInt(MAX_QUEUE_SIZE);
  }

  public Duration pollInterval() {
    return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
  }

  /** Checks that every entry of a list is a valid regular expression. */
  static final class RegexListValidator implements ConfigDef.Validator {
    static final RegexListValidator INSTANCE = new RegexListValidator();

    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        return;
      }
      for (Object entry : (List<?>) value) {
        try {
          Pattern.compile(entry.toString().trim());
        } catch (PatternSyntaxException e) {
          throw new ConfigException(
              name, entry, "Not a valid regular expression: " + e.getDescription());
        }
      }
    }

    @Override
    public String toString() {
      return "comma-separated regular expressions";
    }
  }

  /** A topic prefix holds only the characters Kafka allows in topic names. */
  static final class TopicPrefixValidator implements ConfigDef.Validator {
    static final TopicPrefixValidator INSTANCE = new TopicPrefixValidator();
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]{0,200}");

    @Override
    public void ensureValid(String name, Object value) {
      if (value != null && !VALID.matcher(value.toString()).matches()) {
        throw new ConfigException(
            name,
            value,
            "A topic prefix may hold only a-z, A-Z, 0-9, '.', '_' and '-', at most 200 of them"
                + " (Kafka topic names hold at most 249 characters)");
      }
    }

    @Override
    public String toString() {
      return "[a-zA-Z0-9._-]{0,200}";
    }
  }

  /** Replication slot names: lower-case letters, digits and underscores, at most 63. */
  static final class SlotNameValidator implements ConfigDef.Validator {
    private static final Pattern VALID = Pattern.compile("[a-z0-9_]{1,63}");

    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || !VALID.matcher(value.toString()).matches()) {
        throw new ConfigException(
            name,
            value,
            "A replication slot name may contain only lower-case letters, digits and"
                + " underscores, at most 63 of them");
      }
    }

    @Override
    public String toString() {
      return "[a-z0-9_]{1,63}";
    }
  }

  /** Accepts the op codes c, u, d, t, or none. */
  static final class SkippedOperationsValidator implements ConfigDef.Validator {
    static final SkippedOperationsValidator INSTANCE = new SkippedOperationsValidator();

    @Override
    public void ensureValid(String name, Object value) {
      for (Object entry : (List<?>) value) {
        String code = entry.toString().trim().toLowerCase(Locale.ROOT);
        if (!code.isEmpty() && !"none".equals(code) && Operation.ofCode(code).isEmpty()) {
          throw new ConfigException(name, entry, "Expected c, u, d, t or none");
        }
      }
    }

    @Override
    public String toString() {
      return "c, u, d, t or none";
    }
  }
}
