package io.pgsnow.smt;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Optional copies of schemas, for fields that a transform may have to leave null: children of an
 * optional struct after flattening, envelope fields added to a row, looked-up fields on a miss.
 */
public final class OptionalSchema {
  private OptionalSchema() {}

  public static Schema of(Schema schema) {
    if (schema.isOptional()) {
      return schema;
    }
    SchemaBuilder builder =
        switch (schema.type()) {
          case ARRAY -> SchemaBuilder.array(schema.valueSchema());
          case MAP -> SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
          case STRUCT -> structBuilder(schema);
          default -> SchemaBuilder.type(schema.type());
        };
    builder.name(schema.name()).version(schema.version()).doc(schema.doc()).optional();
    if (schema.parameters() != null) {
      builder.parameters(schema.parameters());
    }
    if (schema.defaultValue() != null) {
      builder.defaultValue(schema.defaultValue());
    }
    return builder.build();
  }

  private static SchemaBuilder structBuilder(Schema schema) {
    SchemaBuilder builder = SchemaBuilder.struct();
    for (Field field : schema.fields()) {
      builder.field(field.name(), field.schema());
    }
    return builder;
  }
}
