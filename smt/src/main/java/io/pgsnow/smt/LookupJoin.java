package io.pgsnow.smt;

import com.github.benmanes.caffeine.cache.Ticker;
import io.pgsnow.smt.LookupJoinConfig.FailurePolicy;
import io.pgsnow.smt.LookupJoinConfig.JoinType;
import io.pgsnow.smt.lookup.InferredRowSchema;
import io.pgsnow.smt.lookup.JdbcLookup;
import io.pgsnow.smt.lookup.LookupFailedException;
import io.pgsnow.smt.lookup.LookupKey;
import io.pgsnow.smt.lookup.LookupSource;
import io.pgsnow.smt.lookup.SharedTopicTables;
import io.pgsnow.smt.lookup.TopicTableSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches each record with fields of a row looked up by key: the stream-table join of ksqlDB,
 * inside the connector. Rows come from a {@link LookupSource}: a materialised topic or a JDBC
 * query. The first join waits for the source to be ready, never longer than the timeout.
 *
 * @param <R> the record type
 */
public abstract class LookupJoin<R extends ConnectRecord<R>>
    extends SideTransformation<R, LookupJoin.JoinShape> {

  protected LookupJoin(RecordSide side) {
    super(side);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LookupJoin.class);

  public static final String OVERVIEW_DOC =
      "Adds fields of a row looked up by key in a topic table or a JDBC query (inner or left"
          + " join).";

  private List<FieldPath> keyFields;
  private JoinType joinType;
  private Map<String, String> fields;
  private String prefix;
  private Duration timeout;
  private FailurePolicy failurePolicy;
  private LookupSource source;
  private boolean ready;
  private boolean warnedUnknownShape;

  /** What an output schema is derived from. */
  record JoinShape(Schema record, Schema row) {}

  @Override
  public void configure(Map<String, ?> props) {
    LookupJoinConfig config = new LookupJoinConfig(props);
    keyFields = config.keyFields();
    joinType = config.joinType();
    fields = config.fields();
    prefix = config.fieldsPrefix();
    timeout = config.timeout();
    failurePolicy = config.failurePolicy();
    newSchemaCache();
    source = openSource(config);
  }

  /** Opens the configured source; the only place that touches Kafka clients or JDBC. */
  protected LookupSource openSource(LookupJoinConfig config) {
    return switch (config.sourceType()) {
      case TOPIC -> openTopicTable(config);
      case JDBC -> openJdbcLookup(config, Ticker.systemTicker());
    };
  }

  /** The configured JDBC lookup, its cache's TTLs measured on {@code ticker}. */
  protected static JdbcLookup openJdbcLookup(LookupJoinConfig config, Ticker ticker) {
    return new JdbcLookup(
        config.jdbcUrl(),
        config.jdbcUser(),
        config.jdbcPassword().value(),
        config.jdbcQuery(),
        config.timeout(),
        config.jdbcCacheSize(),
        config.jdbcCacheTtl(),
        config.jdbcNegativeTtl(),
        ticker);
  }

  /**
   * A lease on the worker's table of the configured topic and settings, shared with the other joins
   * (tasks) that read it alike.
   */
  private static LookupSource openTopicTable(LookupJoinConfig config) {
    return SharedTopicTables.WORKER.acquire(config.topicTableSpec(), TopicTableSpec::open);
  }

  @Override
  public R apply(R record) {
    try {
      if (!ready || !source.isReady()) {
        source.awaitReady(timeout);
        ready = true;
      }
      if (source.absorb(record)) {
        return record;
      }
      Object value = side.value(record);
      if (value == null) {
        return record;
      }
      LookupKey key = LookupKey.of(keyFields.stream().map(path -> path.get(value)).toList());
      Optional<Object> row = key.hasNull() ? Optional.empty() : source.lookup(key);
      if (row.isEmpty() && joinType == JoinType.INNER) {
        return null;
      }
      return joined(record, value, row.orElse(null));
    } catch (LookupFailedException e) {
      return onFailure(record, e);
    }
  }

  private R onFailure(R record, LookupFailedException e) {
    switch (failurePolicy) {
      case DROP -> {
        LOG.warn(
            "Dropping record {}-{}: {}", record.topic(), record.kafkaPartition(), e.getMessage());
        return null;
      }
      case KEEP -> {
        LOG.warn("Keeping record without lookup fields: {}", e.getMessage());
        Object value = side.value(record);
        return value == null ? record : joined(record, value, null);
      }
      default -> throw new RetriableException(e.getMessage(), e);
    }
  }

  private R joined(R record, Object value, Object row) {
    Schema schema = side.schema(record);
    if (schema == null && value instanceof Map<?, ?> map) {
      return side.newRecord(record, null, joinedMap(map, row));
    }
    if (schema == null || !(value instanceof Struct struct)) {
      throw new DataException("LookupJoin needs a struct or map value in " + record);
    }
    Struct typedRow = typedRow(row);
    Schema rowSchema = typedRow == null ? source.rowSchema().orElse(null) : typedRow.schema();
    if (rowSchema == null) {
      if (!warnedUnknownShape) {
        LOG.warn("No lookup row seen yet, so a miss is passed on without the joined fields");
        warnedUnknownShape = true;
      }
      return record;
    }
    Schema outSchema = schemas.get(new JoinShape(schema, rowSchema), this::deriveSchema);
    return side.newRecord(record, outSchema, joinedStruct(outSchema, struct, typedRow));
  }

  /**
   * The row as a Struct for a record with a schema: a Struct row as it is; a Map row (a table read
   * without schemas) typed by the schema inferred from all the table's Map rows, so that the output
   * has the same shape whether the row was filled in-line or rebuilt from the topic.
   */
  private Struct typedRow(Object row) {
    if (row == null || row instanceof Struct) {
      return (Struct) row;
    }
    if (row instanceof Map<?, ?> map) {
      // A table merges a row's fields into its schema before the row can be found.
      InferredRowSchema schema = source.schemalessRowSchema();
      return (schema == InferredRowSchema.EMPTY ? schema.merge(map) : schema).toStruct(map);
    }
    throw new DataException("Lookup rows must be structs or maps, not " + row.getClass());
  }

  private Struct joinedStruct(Schema outSchema, Struct value, Struct row) {
    Struct out = new Struct(outSchema);
    Schema schema = value.schema();
    for (Field field : schema.fields()) {
      out.put(field.name(), value.get(field));
    }
    if (row != null) {
      for (Field field : outSchema.fields()) {
        if (schema.field(field.name()) == null) {
          out.put(field, row.get(sourceName(field.name())));
        }
      }
    }
    return out;
  }

  private String sourceName(String outputName) {
    if (fields.isEmpty()) {
      return outputName.substring(prefix.length());
    }
    return fields.entrySet().stream()
        .filter(e -> e.getValue().equals(outputName))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private Schema deriveSchema(JoinShape shape) {
    Schema schema = shape.record();
    SchemaBuilder builder = structLike(schema);
    for (Field field : schema.fields()) {
      builder.field(field.name(), field.schema());
    }
    if (fields.isEmpty()) {
      for (Field field : shape.row().fields()) {
        if (schema.field(prefix + field.name()) == null) {
          builder.field(prefix + field.name(), OptionalSchema.of(field.schema()));
        }
      }
      return builder.build();
    }
    for (Map.Entry<String, String> selected : fields.entrySet()) {
      Field field = shape.row().field(selected.getKey());
      if (field == null) {
        throw new DataException("Lookup rows have no field '" + selected.getKey() + "'");
      }
      if (schema.field(selected.getValue()) != null) {
        throw new DataException(
            "Looked-up field '"
                + selected.getValue()
                + "' is already a field of the record: set an alias or "
                + LookupJoinConfig.FIELDS_PREFIX);
      }
      builder.field(selected.getValue(), OptionalSchema.of(field.schema()));
    }
    return builder.build();
  }

  private Map<Object, Object> joinedMap(Map<?, ?> value, Object row) {
    Map<Object, Object> out = new LinkedHashMap<>(value);
    if (!fields.isEmpty()) {
      fields.forEach((name, output) -> out.put(output, row == null ? null : rowField(row, name)));
      return out;
    }
    if (row instanceof Struct struct) {
      for (Field field : struct.schema().fields()) {
        out.putIfAbsent(prefix + field.name(), struct.get(field));
      }
    } else if (row instanceof Map<?, ?> map) {
      map.forEach((name, v) -> out.putIfAbsent(prefix + name, v));
    } else if (row == null) {
      source
          .rowSchema()
          .ifPresent(s -> s.fields().forEach(f -> out.putIfAbsent(prefix + f.name(), null)));
    }
    return out;
  }

  private static Object rowField(Object row, String name) {
    if (row instanceof Struct struct) {
      return struct.schema().field(name) == null ? null : struct.get(name);
    }
    return row instanceof Map<?, ?> map ? map.get(name) : null;
  }

  /** The source rows are looked up in, e.g. to report a topic table's size. */
  public LookupSource source() {
    return source;
  }

  @Override
  public ConfigDef config() {
    return LookupJoinConfig.CONFIG_DEF;
  }

  @Override
  public void close() {
    if (source != null) {
      source.close();
      source = null;
    }
  }

  /** Joins on, and enriches, the record key. */
  public static class Key<R extends ConnectRecord<R>> extends LookupJoin<R> {
    public Key() {
      super(RecordSide.KEY);
    }
  }

  /** Joins on, and enriches, the record value. */
  public static class Value<R extends ConnectRecord<R>> extends LookupJoin<R> {
    public Value() {
      super(RecordSide.VALUE);
    }
  }
}
