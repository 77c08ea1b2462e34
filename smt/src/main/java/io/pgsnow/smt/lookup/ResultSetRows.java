package io.pgsnow.smt.lookup;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Connect schemas and Structs for the rows of a lookup query. Every field is optional, since a
 * query's columns may be null whatever the table says.
 */
final class ResultSetRows {
  private ResultSetRows() {}

  static Schema schemaOf(ResultSetMetaData meta) throws SQLException {
    SchemaBuilder builder = SchemaBuilder.struct().optional();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      builder.field(meta.getColumnLabel(i), columnSchema(meta, i));
    }
    return builder.build();
  }

  private static Schema columnSchema(ResultSetMetaData meta, int column) throws SQLException {
    return switch (meta.getColumnType(column)) {
      case Types.BOOLEAN, Types.BIT -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
      case Types.TINYINT, Types.SMALLINT -> Schema.OPTIONAL_INT16_SCHEMA;
      case Types.INTEGER -> Schema.OPTIONAL_INT32_SCHEMA;
      case Types.BIGINT -> Schema.OPTIONAL_INT64_SCHEMA;
      case Types.REAL -> Schema.OPTIONAL_FLOAT32_SCHEMA;
      case Types.FLOAT, Types.DOUBLE -> Schema.OPTIONAL_FLOAT64_SCHEMA;
      case Types.NUMERIC, Types.DECIMAL ->
          meta.getScale(column) >= 0 && meta.getPrecision(column) > 0
              ? Decimal.builder(meta.getScale(column)).optional().build()
              : Schema.OPTIONAL_STRING_SCHEMA;
      case Types.DATE -> Date.builder().optional().build();
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Timestamp.builder().optional().build();
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> Schema.OPTIONAL_BYTES_SCHEMA;
      default -> Schema.OPTIONAL_STRING_SCHEMA;
    };
  }

  static Struct read(ResultSet rs, Schema schema) throws SQLException {
    Struct row = new Struct(schema);
    for (int i = 1; i <= schema.fields().size(); i++) {
      org.apache.kafka.connect.data.Field field = schema.fields().get(i - 1);
      row.put(field, value(rs, i, field.schema()));
    }
    return row;
  }

  private static Object value(ResultSet rs, int column, Schema schema) throws SQLException {
    Object value =
        switch (schema.type()) {
          case BOOLEAN -> rs.getBoolean(column);
          case INT16 -> rs.getShort(column);
          case INT32 ->
              isLogical(schema, Date.LOGICAL_NAME) ? rs.getDate(column) : rs.getInt(column);
          case INT64 ->
              isLogical(schema, Timestamp.LOGICAL_NAME)
                  ? rs.getTimestamp(column)
                  : (Object) rs.getLong(column);
          case FLOAT32 -> rs.getFloat(column);
          case FLOAT64 -> rs.getDouble(column);
          case BYTES ->
              isLogical(schema, Decimal.LOGICAL_NAME)
                  ? decimal(rs, column, schema)
                  : rs.getBytes(column);
          default -> rs.getString(column);
        };
    if (rs.wasNull()) {
      return null;
    }
    if (value instanceof java.sql.Date d) {
      return new java.util.Date(d.toLocalDate().toEpochDay() * 86_400_000L);
    }
    if (value instanceof java.sql.Timestamp t) {
      return new java.util.Date(t.getTime());
    }
    return value;
  }

  private static Object decimal(ResultSet rs, int column, Schema schema) throws SQLException {
    java.math.BigDecimal d = rs.getBigDecimal(column);
    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
    return d == null ? null : d.setScale(scale, java.math.RoundingMode.UNNECESSARY);
  }

  private static boolean isLogical(Schema schema, String name) {
    return name.equals(schema.name());
  }
}
