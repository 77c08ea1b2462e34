package io.pgsnow.source.events;

import io.pgsnow.source.config.SchemaNameAdjustment;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.naming.TableNames;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.schema.ColumnType;
import io.pgsnow.source.schema.ColumnTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

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
  private final int[] identityColumns;
  private final Schema keySchema;
  private final Schema rowSchema;
  private final Schema envelopeSchema;
  private final Object[] toastPlaceholders;
  private final Schema fullRowSchema;
  private final boolean[] emitted;

  /**
   * The fields looked up once rather than by name for every row: of each column in {@link
   * #fullRowSchema}, of each key column in {@link #keySchema}, and of the envelope.
   */
  private final Field[] columnFields;

  private final Field[] keyFields;
  private final EnvelopeFields envelopeFields;

  private TableSchema(
      PgOutputMessage.Relation relation,
      String topic,
      List<String> columnNames,
      List<ColumnType> columnTypes,
      Keys keys,
      Rows rows,
      Schema envelopeSchema,
      Object[] toastPlaceholders) {
    this.schemaName = relation.namespace();
    this.tableName = relation.name();
    this.topic = topic;
    this.columnNames = columnNames;
    this.columnTypes = columnTypes;
    this.keyColumns = keys.key();
    this.identityColumns = keys.identity();
    this.keySchema = keys.schema();
    this.rowSchema = rows.schema();
    this.envelopeSchema = envelopeSchema;
    this.toastPlaceholders = toastPlaceholders;
    this.fullRowSchema = rows.full();
    this.emitted = rows.emitted();
    this.columnFields = fullRowSchema.fields().toArray(new Field[0]);
    this.keyFields = keySchema == null ? new Field[0] : keySchema.fields().toArray(new Field[0]);
    this.envelopeFields = new EnvelopeFields(envelopeSchema);
  }

  /** The envelope's fields that change events set. */
  public record EnvelopeFields(
      Field before, Field after, Field source, Field op, Field tsMs, Field tsUs, Field tsNs) {
    EnvelopeFields(Schema envelope) {
      this(
          envelope.field("before"),
          envelope.field("after"),
          envelope.field("source"),
          envelope.field("op"),
          envelope.field("ts_ms"),
          envelope.field("ts_us"),
          envelope.field("ts_ns"));
    }
  }

  /** The key's columns and schema, and the replica identity's columns. */
  private record Keys(int[] key, int[] identity, Schema schema) {}

  /** The emitted row schema, the schema with every column, and which columns are emitted. */
  private record Rows(Schema schema, Schema full, boolean[] emitted) {}

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
    return of(relation, tableNames, types, primaryKeys, null);
  }

  /**
   * The schemas of a table whose topic and schema names are already chosen; {@code columns} (null:
   * all) decides which columns the row images carry and which form the record key ({@code
   * message.key.columns}; the replica identity otherwise). Key columns stay in the key either way.
   */
  public static TableSchema of(
      PgOutputMessage.Relation relation,
      TableNames tableNames,
      ColumnTypes types,
      PrimaryKeys primaryKeys,
      TableFilter columns) {
    // Under REPLICA IDENTITY FULL every column is flagged as key; the real key is the primary key.
    List<String> fullIdentityKey =
        relation.replicaIdentity() == 'f' ? primaryKeys.of(relation.relationId()) : null;
    String topic = tableNames.topic();
    String schemaNameBase = tableNames.schemaNameBase();
    List<String> names = new ArrayList<>();
    List<ColumnType> columnTypes = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    List<Integer> identity = new ArrayList<>();
    List<String> messageKey = messageKeyColumns(relation, columns);
    SchemaBuilder row = SchemaBuilder.struct().name(schemaNameBase + ".Value").optional();
    SchemaBuilder full = SchemaBuilder.struct().name(schemaNameBase + ".Value").optional();
    boolean[] emitted = new boolean[relation.columns().size()];
    boolean allEmitted = true;
    SchemaBuilder key = SchemaBuilder.struct().name(schemaNameBase + ".Key");
    for (PgOutputMessage.Column column : relation.columns()) {
      boolean isIdentity =
          fullIdentityKey == null ? column.key() : fullIdentityKey.contains(column.name());
      boolean isKey = messageKey.isEmpty() ? isIdentity : messageKey.contains(column.name());
      if (isIdentity) {
        identity.add(names.size());
      }
      // pgoutput does not send NOT NULL constraints, so only identity columns are required.
      ColumnType type = types.forColumn(column.typeOid(), column.typeModifier(), !isIdentity);
      if (isKey) {
        keys.add(names.size());
        key.field(column.name(), type.schema());
      }
      emitted[names.size()] =
          columns == null
              || columns.includesColumn(relation.namespace(), relation.name(), column.name());
      allEmitted &= emitted[names.size()];
      if (emitted[names.size()]) {
        row.field(column.name(), type.schema());
      }
      full.field(column.name(), type.schema());
      names.add(column.name());
      columnTypes.add(type);
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
        new Keys(
            keys.stream().mapToInt(Integer::intValue).toArray(),
            identity.stream().mapToInt(Integer::intValue).toArray(),
            keys.isEmpty() ? null : key.build()),
        new Rows(rowSchema, allEmitted ? rowSchema : full.build(), emitted),
        envelope,
        columnTypes.stream().map(c -> types.toastPlaceholder(c.schema())).toArray());
  }

  /**
   * The columns of {@code message.key.columns} for this table that it has; empty when none are
   * configured or none exists, and the replica identity is the key.
   */
  private static List<String> messageKeyColumns(
      PgOutputMessage.Relation relation, TableFilter columns) {
    if (columns == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (PgOutputMessage.Column column : relation.columns()) {
      names.add(column.name());
    }
    return columns.messageKeyColumns(relation.namespace(), relation.name(), names);
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

  /** The index of a column by name, or -1. */
  public int columnIndex(String name) {
    return columnNames.indexOf(name);
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

  /** The replica-identity columns (the primary key under REPLICA IDENTITY FULL). */
  public int[] identityColumns() {
    return identityColumns.clone();
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

  /** The schema row images are built in: every column, key columns left out of the rows too. */
  Schema fullRowSchema() {
    return fullRowSchema;
  }

  /** The field of column {@code index} in {@link #fullRowSchema}, which has every column. */
  Field columnField(int index) {
    return columnFields[index];
  }

  /** The field in {@link #keySchema} of the {@code i}-th of {@link #keyColumns}. */
  Field keyField(int i) {
    return keyFields[i];
  }

  /** The index in {@link #keyColumns} order of key column {@code i}: {@code keyColumns[i]}. */
  int keyColumn(int i) {
    return keyColumns[i];
  }

  int keyColumnCount() {
    return keyColumns.length;
  }

  public EnvelopeFields envelopeFields() {
    return envelopeFields;
  }

  /** Whether the column is in the emitted rows (column.include.list / column.exclude.list). */
  boolean emitted(int index) {
    return emitted[index];
  }

  /** A row image as emitted: without the columns left out of the rows. */
  Struct emittedRow(Struct image) {
    if (image == null || image.schema() == rowSchema) {
      return image;
    }
    Struct row = new Struct(rowSchema);
    for (Field f : rowSchema.fields()) {
      row.put(f, image.get(f.name()));
    }
    return row;
  }

  public Schema envelopeSchema() {
    return envelopeSchema;
  }
}
