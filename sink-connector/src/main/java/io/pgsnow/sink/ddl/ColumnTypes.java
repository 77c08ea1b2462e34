package io.pgsnow.sink.ddl;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The Snowflake type of a schematized column: from the Connect schema when the record has one,
 * otherwise inferred from the JSON value, as the official connector does.
 */
public final class ColumnTypes {

  static final String VARIANT = "VARIANT";

  /** Debezium's logical type for JSON text: its values load as JSON, so the column is a VARIANT. */
  static final String JSON_LOGICAL_TYPE = "io.debezium.data.Json";

  private ColumnTypes() {}

  public static String of(Schema schema) {
    if (schema == null) {
      return VARIANT;
    }
    String logical = logicalType(schema);
    if (logical != null) {
      return logical;
    }
    return switch (schema.type()) {
      case INT8, INT16, INT32, INT64 -> "NUMBER";
      case FLOAT32 -> "FLOAT";
      case FLOAT64 -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case STRING -> "VARCHAR";
      case BYTES -> "BINARY";
      case STRUCT -> VARIANT;
      case MAP -> "OBJECT";
      case ARRAY -> "ARRAY";
    };
  }

  private static String logicalType(Schema schema) {
    String logical = schema.name();
    if (logical == null) {
      return null;
    }
    return switch (logical) {
      case Decimal.LOGICAL_NAME -> {
        String scale =
            schema.parameters() == null ? null : schema.parameters().get(Decimal.SCALE_FIELD);
        yield "NUMBER(38," + (scale == null ? "0" : scale) + ")";
      }
      case Date.LOGICAL_NAME -> "DATE";
      case Time.LOGICAL_NAME -> "TIME";
      case Timestamp.LOGICAL_NAME -> "TIMESTAMP_NTZ";
      case JSON_LOGICAL_TYPE -> VARIANT;
      default -> null;
    };
  }

  /** The type of a schemaless value; a null tells nothing, so it gets a VARIANT. */
  public static String of(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return VARIANT;
    }
    if (value.isIntegralNumber()) {
      return "NUMBER";
    }
    if (value.isNumber()) {
      return "DOUBLE";
    }
    if (value.isBoolean()) {
      return "BOOLEAN";
    }
    if (value.isTextual()) {
      return "VARCHAR";
    }
    if (value.isArray()) {
      return "ARRAY";
    }
    return value.isObject() ? "OBJECT" : VARIANT;
  }
}
