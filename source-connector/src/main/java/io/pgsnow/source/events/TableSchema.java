package io.pgsnow.source.events;

import io.pgsnow.source.PostgresCdcSourceConfig.SchemaNameAdjustment;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.naming.TableNames;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.schema.ColumnType;
import io.pgsnow.source.schema.ColumnTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The Connect schemas of one table, derived from a pgoutput Relation message: the key (the
 * replica-identity columns flagged in the message, never read out of band), the row and the
 * Debezium envelope. A Relation with another shape gives a new TableSchema, so schema changes take
 * effect without a restart.
 */
public final class TableSchema {
  /** The version of Debezium's envelope schema that this shape follows. */
  public static final int ENVELOPE_VERSION = 2;

  /**
   * Debezium's {@code transaction} block; null on every event, as Debezium writes it without {@code
   * provide.transaction.metadata}.
   */
  public static final Schema TRANSACTION_BLOCK =
      SchemaBuilder.struct()
          .name("event.block")
          .version(1)
          .optional()
          .field("id", Schema.STRING_SCHEMA)
          .field("total_order", Schema.INT64_SCHEMA)
          .field("data_collection_order", Schema.INT64_SCHEMA)
          .build();

  private final String schemaName;
  private final String tableName;
  private final String topic;
  private final List<String> columnNames;
  private final List<ColumnType> columnTypes;
  private final int[] keyColumns;
  private final Schema keySchema;
  private final Schema rowSchema;
  private final Schema envelopeSchema;
  private final Object[] toastPlaceholders;

  private TableSchema(
      PgOutputMessage.Relation relation,
      String topic,
      List<String> columnNames,
      List<ColumnType> columnTypes,
      int[] keyColumns,
      Schema keySchema,
      Schema rowSchema,
      Schema envelopeSchema,
      Object[] toastPlaceholders) {
    this.schemaName = relation.namespace();
    this.tableName = relation.name();
    this.topic = topic;
    this.columnNames = columnNames;
    this.columnTypes = columnTypes;
    this.keyColumns = keyColumns;
    this.keySchema = keySchema;
    this.rowSchema = rowSchema;
    this.envelopeSchema = envelopeSchema;
    this.toastPlaceholders = toastPlaceholders;
  }

  /** The schemas of a table named by the default rules under {@code topicPrefix}. */
  public static TableSchema of(
      PgOutputMessage.Relation relation,
      String topicPrefix,
      ColumnTypes types,
      PrimaryKeys primaryKeys) {
    TableNames names =
        new TopicNamer(topicPrefix, SchemaNameAdjustment.AVRO)
            .name(relation.namespace(), relation.name());
    return of(relation, names, types, primaryKeys);
  }

  /** The schemas of a table whose topic and schema names are already chosen. */
  public static TableSchema of(
      PgOutputMessage.Relation relation,
      TableNames tableNames,
      ColumnTypes types,
      PrimaryKeys primaryKeys) {
    // Under REPLICA IDENTITY FULL every column is flagged as key; the real key is the primary key.
    List<String> fullIdentityKey =
        relation.replicaIdentity() == 'f' ? primaryKeys.of(relation.relationId()) : null;
    String topic = tableNames.topic();
    String schemaNameBase = tableNames.schemaNameBase();
    List<String> names = new ArrayList<>();
    List<ColumnType> columnTypes = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    SchemaBuilder row = SchemaBuilder.struct().name(schemaNameBase + ".Value").optional();
    SchemaBuilder key = SchemaBuilder.struct().name(schemaNameBase + ".Key");
    for (PgOutputMessage.Column column : relation.columns()) {
      boolean isKey =
          fullIdentityKey == null ? column.key() : fullIdentityKey.contains(column.name());
      // pgoutput does not send NOT NULL constraints, so only key columns are required.
      ColumnType type = types.forColumn(column.typeOid(), column.typeModifier(), !isKey);
      if (isKey) {
        keys.add(names.size());
        key.field(column.name(), type.schema());
      }
      names.add(column.name());
      columnTypes.add(type);
      row.field(column.name(), type.schema());
    }
    Schema rowSchema = row.build();
    Schema envelope =
        SchemaBuilder.struct()
            .name(schemaNameBase + ".Envelope")
            .version(ENVELOPE_VERSION)
            .field("before", rowSchema)
            .field("after", rowSchema)
            .field("source", SourceInfo.SCHEMA)
            .field("transaction", TRANSACTION_BLOCK)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    return new TableSchema(
        relation,
        topic,
        List.copyOf(names),
        List.copyOf(columnTypes),
        keys.stream().mapToInt(Integer::intValue).toArray(),
        keys.isEmpty() ? null : key.build(),
        rowSchema,
        envelope,
        columnTypes.stream().map(c -> types.toastPlaceholder(c.schema())).toArray());
  }

  public String schemaName() {
    return schemaName;
  }

  public String tableName() {
    return tableName;
  }

  public String topic() {
    return topic;
  }

  public int columnCount() {
    return columnNames.size();
  }

  public String columnName(int index) {
    return columnNames.get(index);
  }

  /** What an unchanged TOAST value of the column is sent as: null or the placeholder. */
  public Object toastPlaceholder(int index) {
    return toastPlaceholders[index];
  }

  public ColumnType columnType(int index) {
    return columnTypes.get(index);
  }

  public int[] keyColumns() {
    return keyColumns.clone();
  }

  boolean isKeyColumn(int index) {
    for (int k : keyColumns) {
      if (k == index) {
        return true;
      }
    }
    return false;
  }

  /** Null when the table has no replica-identity columns (no primary key). */
  public Schema keySchema() {
    return keySchema;
  }

  public Schema rowSchema() {
    return rowSchema;
  }

  public Schema envelopeSchema() {
    return envelopeSchema;
  }
}
