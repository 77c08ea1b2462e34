package io.pgsnow.smt;

import io.pgsnow.smt.lookup.TableConverter;
import io.pgsnow.smt.lookup.TopicTableSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Configuration of {@link LookupJoin} and of its lookup sources. */
public final class LookupJoinConfig extends AbstractConfig {
  public static final String SOURCE = "lookup.source";
  public static final String KEY_FIELDS = "key.fields";
  public static final String JOIN_TYPE = "join.type";
  public static final String FIELDS = "fields";
  public static final String FIELDS_PREFIX = "fields.prefix";
  public static final String TIMEOUT_MS = "lookup.timeout.ms";
  public static final String FAILURE_POLICY = "lookup.failure.policy";

  public static final String TOPIC_NAME = "topic.name";
  public static final String TOPIC_BOOTSTRAP = "topic.bootstrap.servers";
  public static final String TOPIC_KEY_FIELDS = "topic.key.fields";
  public static final String TOPIC_KEY_CONVERTER = "topic.key.converter";
  public static final String TOPIC_VALUE_CONVERTER = "topic.value.converter";
  public static final String TOPIC_CONSUMER_PREFIX = "topic.consumer.";
  public static final String TOPIC_MAX_ROWS = "topic.max.rows";
  public static final String TOPIC_MAX_BYTES = "topic.max.bytes";

  public static final String JDBC_URL = "jdbc.url";
  public static final String JDBC_USER = "jdbc.user";
  public static final String JDBC_PASSWORD = "jdbc.password";
  public static final String JDBC_QUERY = "jdbc.query";
  public static final String JDBC_CACHE_SIZE = "jdbc.cache.size";
  public static final String JDBC_CACHE_TTL_MS = "jdbc.cache.ttl.ms";
  public static final String JDBC_NEGATIVE_TTL_MS = "jdbc.cache.negative.ttl.ms";

  static final String JSON_CONVERTER = TableConverter.JSON_CONVERTER;

  private static final String JOIN = "Join";
  private static final String TOPIC = "Topic table";
  private static final String JDBC = "JDBC";

  /** Where the looked-up rows come from. */
  public enum SourceType {
    TOPIC,
    JDBC
  }

  /** What a record without a matching row becomes. */
  public enum JoinType {
    /** Dropped. */
    INNER,
    /** Kept, with the looked-up fields null. */
    LEFT
  }

  /** What a record becomes when its lookup fails or times out. */
  public enum FailurePolicy {
    /** The transform throws a retriable error: Connect retries per errors.retry.*, then fails. */
    FAIL,
    /** The record is dropped, with a warning. */
    DROP,
    /** The record is kept with the looked-up fields null, as for a left-join miss. */
    KEEP
  }

  public static final ConfigDef CONFIG_DEF =
      jdbcKeys(topicLimitKeys(topicKeys(joinKeys(new ConfigDef()))));

  private static ConfigDef joinKeys(ConfigDef def) {
    int order = 0;
    return def.define(
            SOURCE,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            ConfigChoice.validator(SourceType.class),
            Importance.HIGH,
            "Where rows are looked up: 'topic' materialises a Kafka topic (topic.* keys), 'jdbc'"
                + " queries a database (jdbc.* keys).",
            JOIN,
            ++order,
            Width.SHORT,
            "Lookup source")
        .define(
            KEY_FIELDS,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            new NonEmptyList(),
            Importance.HIGH,
            "Paths of the record fields that make the lookup key, in the order of the table's key"
                + " fields or of the query's parameters (dots reach into nested fields).",
            JOIN,
            ++order,
            Width.MEDIUM,
            "Key fields")
        .define(
            JOIN_TYPE,
            Type.STRING,
            ConfigChoice.valueOf(JoinType.INNER),
            ConfigChoice.validator(JoinType.class),
            Importance.HIGH,
            "'inner' drops a record whose key has no row (or a null key part); 'left' keeps it"
                + " with the looked-up fields null.",
            JOIN,
            ++order,
            Width.SHORT,
            "Join type")
        .define(
            FIELDS,
            Type.LIST,
            List.of(),
            Importance.MEDIUM,
            "Fields of the looked-up row to add, each 'name' or 'name:alias'. Empty: every field"
                + " of the row whose output name is not already a field of the record.",
            JOIN,
            ++order,
            Width.LONG,
            "Fields")
        .define(
            FIELDS_PREFIX,
            Type.STRING,
            "",
            Importance.LOW,
            "Prefix of the names of the added fields (before an alias too).",
            JOIN,
            ++order,
            Width.SHORT,
            "Fields prefix")
        .define(
            TIMEOUT_MS,
            Type.LONG,
            30_000L,
            Range.atLeast(1),
            Importance.MEDIUM,
            "Longest wait of a lookup: for a topic table loading before the first join, the"
                + " longest time without a record read (a big table may take longer to load, and"
                + " the first join waits while it reads); for a query, its statement timeout; for"
                + " a connection, the connect timeout. Then the failure policy applies.",
            JOIN,
            ++order,
            Width.SHORT,
            "Lookup timeout (ms)")
        .define(
            FAILURE_POLICY,
            Type.STRING,
            ConfigChoice.valueOf(FailurePolicy.FAIL),
            ConfigChoice.validator(FailurePolicy.class),
            Importance.MEDIUM,
            "When a lookup fails or times out: 'fail' throws a retriable error (Connect retries"
                + " per errors.retry.timeout, then stops the task or, with errors.tolerance=all,"
                + " skips the record); 'drop' drops the record; 'keep' keeps it with the"
                + " looked-up fields null.",
            JOIN,
            ++order,
            Width.SHORT,
            "Failure policy");
  }

  private static ConfigDef topicKeys(ConfigDef def) {
    int order = 0;
    return def.define(
            TOPIC_NAME,
            Type.STRING,
            "",
            Importance.HIGH,
            "The (ideally compacted) topic to materialise, e.g. 'pg.public.payroll'. Its values"
                + " may be change-event envelopes or rows; its records passing through this chain"
                + " update the table in-line. Required with lookup.source=topic.",
            TOPIC,
            ++order,
            Width.LONG,
            "Table topic")
        .define(
            TOPIC_BOOTSTRAP,
            Type.LIST,
            List.of(),
            Importance.HIGH,
            "Bootstrap servers of the Kafka cluster holding the table topic. Further consumer"
                + " settings (security) go under '"
                + TOPIC_CONSUMER_PREFIX
                + "'. The table reads committed records only (isolation.level=read_committed), so"
                + " writes of exactly-once sources that were aborted never enter it. Required with"
                + " lookup.source=topic.",
            TOPIC,
            ++order,
            Width.LONG,
            "Bootstrap servers")
        .define(
            TOPIC_KEY_FIELDS,
            Type.LIST,
            List.of(),
            Importance.MEDIUM,
            "Fields of the table records' keys that make the lookup key, in order. Empty: all"
                + " fields of a struct key in schema order, the single entry of a map key, or a"
                + " primitive key itself.",
            TOPIC,
            ++order,
            Width.MEDIUM,
            "Table key fields")
        .define(
            TOPIC_KEY_CONVERTER,
            Type.STRING,
            JSON_CONVERTER,
            Importance.MEDIUM,
            "Converter class of the table records' keys; its settings go under '"
                + TOPIC_KEY_CONVERTER
                + ".' (e.g. schemas.enable). The JsonConverter without schemas.enable set reads"
                + " each key as it was written, with or without a schema envelope.",
            TOPIC,
            ++order,
            Width.LONG,
            "Key converter")
        .define(
            TOPIC_VALUE_CONVERTER,
            Type.STRING,
            JSON_CONVERTER,
            Importance.MEDIUM,
            "Converter class of the table records' values; its settings go under '"
                + TOPIC_VALUE_CONVERTER
                + ".'. The JsonConverter without schemas.enable set reads each value as it was"
                + " written, with or without a schema envelope; set it to the schemas.enable of"
                + " the converter that writes the topic. Rows of records passing through this"
                + " chain are held as this converter reads them back from the topic, so a table"
                + " rebuilt after a restart holds the same rows.",
            TOPIC,
            ++order,
            Width.LONG,
            "Value converter");
  }

  /** The bounds of the topic table, in the topic group after its other keys. */
  private static ConfigDef topicLimitKeys(ConfigDef def) {
    int order = 5;
    return def.define(
            TOPIC_MAX_ROWS,
            Type.LONG,
            1_000_000L,
            Range.atLeast(1),
            Importance.MEDIUM,
            "Most rows the table may hold. The tasks of a worker that read the same topic with"
                + " the same topic.* settings share one table (one consumer, one copy of the rows),"
                + " so this bounds the worker, not each task. A row beyond it is neither evicted"
                + " nor skipped, which would turn joins into silent misses: the table fails with an"
                + " error naming the key that did not fit, and every task joining against it fails"
                + " (whatever lookup.failure.policy says) before joining a record, so nothing is"
                + " lost; raise the limit and restart the tasks. Rows, bytes, lag and status are"
                + " reported over JMX as io.pgsnow.smt:type=lookup-table,topic=\"<topic>\",id=<n>.",
            TOPIC,
            ++order,
            Width.SHORT,
            "Max rows")
        .define(
            TOPIC_MAX_BYTES,
            Type.LONG,
            256L * 1024 * 1024,
            Range.atLeast(1),
            Importance.MEDIUM,
            "Most heap, estimated, the shared table's rows may hold; beyond it the table fails"
                + " as for topic.max.rows. The table logs its size when loaded and reports it over"
                + " JMX (EstimatedBytes); a limit above half the worker's heap is logged as a"
                + " warning, since the worker could run out of memory before reaching it.",
            TOPIC,
            ++order,
            Width.SHORT,
            "Max bytes");
  }

  private static ConfigDef jdbcKeys(ConfigDef def) {
    int order = 0;
    return def.define(
            JDBC_URL,
            Type.STRING,
            "",
            Importance.HIGH,
            "JDBC URL of the database, e.g. 'jdbc:postgresql://db:5432/app' (the PostgreSQL"
                + " driver is bundled). Required with lookup.source=jdbc.",
            JDBC,
            ++order,
            Width.LONG,
            "JDBC URL")
        .define(
            JDBC_USER,
            Type.STRING,
            "",
            Importance.HIGH,
            "Database user.",
            JDBC,
            ++order,
            Width.MEDIUM,
            "User")
        .define(
            JDBC_PASSWORD,
            Type.PASSWORD,
            "",
            Importance.HIGH,
            "Database password.",
            JDBC,
            ++order,
            Width.MEDIUM,
            "Password")
        .define(
            JDBC_QUERY,
            Type.STRING,
            "",
            Importance.HIGH,
            "Query returning at most one row per key, with one '?' per key field, e.g. 'SELECT"
                + " first_name, last_name FROM payroll WHERE employee_id = ?'. Column labels name"
                + " the fields. Required with lookup.source=jdbc.",
            JDBC,
            ++order,
            Width.LONG,
            "Query")
        .define(
            JDBC_CACHE_SIZE,
            Type.LONG,
            10_000L,
            Range.atLeast(0),
            Importance.MEDIUM,
            "Keys (found or not) whose answer is cached; 0 disables the cache.",
            JDBC,
            ++order,
            Width.SHORT,
            "Cache size")
        .define(
            JDBC_CACHE_TTL_MS,
            Type.LONG,
            60_000L,
            Range.atLeast(0),
            Importance.MEDIUM,
            "How long a found row is reused before the database is asked again.",
            JDBC,
            ++order,
            Width.SHORT,
            "Cache TTL (ms)")
        .define(
            JDBC_NEGATIVE_TTL_MS,
            Type.LONG,
            10_000L,
            Range.atLeast(0),
            Importance.MEDIUM,
            "How long a key without a row is remembered as missing; 0 asks every time.",
            JDBC,
            ++order,
            Width.SHORT,
            "Negative cache TTL (ms)");
  }

  /** Requires at least one entry in a list. */
  private static final class NonEmptyList implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || ((List<?>) value).isEmpty()) {
        throw new ConfigException(name, value, "At least one field is required");
      }
    }

    @Override
    public String toString() {
      return "non-empty list";
    }
  }

  public LookupJoinConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
    if (sourceType() == SourceType.TOPIC) {
      require(TOPIC_NAME, getString(TOPIC_NAME));
      require(TOPIC_BOOTSTRAP, String.join(",", getList(TOPIC_BOOTSTRAP)));
    } else {
      require(JDBC_URL, getString(JDBC_URL));
      require(JDBC_QUERY, getString(JDBC_QUERY));
    }
    fields();
  }

  private void require(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, value, "Required with " + SOURCE + "=" + getString(SOURCE));
    }
  }

  public SourceType sourceType() {
    return ConfigChoice.parse(SourceType.class, SOURCE, getString(SOURCE));
  }

  public List<FieldPath> keyFields() {
    return getList(KEY_FIELDS).stream().map(FieldPath::parse).toList();
  }

  public JoinType joinType() {
    return ConfigChoice.parse(JoinType.class, JOIN_TYPE, getString(JOIN_TYPE));
  }

  /** Selected row fields, source name to output name (prefixed); empty selects all. */
  public Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String spec : getList(FIELDS)) {
      String[] parts = spec.split(":", -1);
      if (parts.length > 2 || parts[0].isBlank() || parts.length == 2 && parts[1].isBlank()) {
        throw new ConfigException(FIELDS, spec, "Expected 'name' or 'name:alias'");
      }
      String name = parts[0].trim();
      fields.put(name, fieldsPrefix() + (parts.length == 2 ? parts[1].trim() : name));
    }
    return fields;
  }

  public String fieldsPrefix() {
    return getString(FIELDS_PREFIX);
  }

  public Duration timeout() {
    return Duration.ofMillis(getLong(TIMEOUT_MS));
  }

  public FailurePolicy failurePolicy() {
    return ConfigChoice.parse(FailurePolicy.class, FAILURE_POLICY, getString(FAILURE_POLICY));
  }

  public String topicName() {
    return getString(TOPIC_NAME).trim();
  }

  public String topicBootstrapServers() {
    return String.join(",", getList(TOPIC_BOOTSTRAP));
  }

  public List<String> topicKeyFields() {
    return getList(TOPIC_KEY_FIELDS);
  }

  public String topicKeyConverter() {
    return getString(TOPIC_KEY_CONVERTER);
  }

  public String topicValueConverter() {
    return getString(TOPIC_VALUE_CONVERTER);
  }

  public Map<String, Object> topicKeyConverterConfig() {
    return originalsWithPrefix(TOPIC_KEY_CONVERTER + ".");
  }

  public Map<String, Object> topicValueConverterConfig() {
    return originalsWithPrefix(TOPIC_VALUE_CONVERTER + ".");
  }

  public Map<String, Object> topicConsumerConfig() {
    return originalsWithPrefix(TOPIC_CONSUMER_PREFIX);
  }

  public long topicMaxRows() {
    return getLong(TOPIC_MAX_ROWS);
  }

  public long topicMaxBytes() {
    return getLong(TOPIC_MAX_BYTES);
  }

  /** What decides the topic table's rows: joins with equal specs share one table. */
  public TopicTableSpec topicTableSpec() {
    return new TopicTableSpec(
        topicName(),
        topicBootstrapServers(),
        topicKeyFields(),
        topicKeyConverter(),
        TopicTableSpec.text(topicKeyConverterConfig()),
        topicValueConverter(),
        TopicTableSpec.text(topicValueConverterConfig()),
        TopicTableSpec.text(topicConsumerConfig()),
        topicMaxRows(),
        topicMaxBytes());
  }

  public String jdbcUrl() {
    return getString(JDBC_URL).trim();
  }

  public String jdbcUser() {
    return getString(JDBC_USER);
  }

  public Password jdbcPassword() {
    return getPassword(JDBC_PASSWORD);
  }

  public String jdbcQuery() {
    return getString(JDBC_QUERY);
  }

  public long jdbcCacheSize() {
    return getLong(JDBC_CACHE_SIZE);
  }

  public Duration jdbcCacheTtl() {
    return Duration.ofMillis(getLong(JDBC_CACHE_TTL_MS));
  }

  public Duration jdbcNegativeTtl() {
    return Duration.ofMillis(getLong(JDBC_NEGATIVE_TTL_MS));
  }
}
