package io.pgsnow.smt;

import io.pgsnow.smt.ConcatTemplate.NullHandling;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Adds a string field computed from fields and literals, e.g. {@code FULL_NAME = first_name + ' ' +
 * last_name}, with an explicit null policy instead of ksqlDB's {@code "nullfoo"}.
 *
 * @param <R> the record type
 */
public abstract class ConcatFields<R extends ConnectRecord<R>>
    extends SideTransformation<R, Schema> {

  protected ConcatFields(RecordSide side) {
    super(side);
  }

  public static final String OVERVIEW_DOC =
      "Adds a string field joined from fields and literals, with an explicit null policy.";

  private String field;
  private ConcatTemplate template;
  private NullHandling nulls;

  @Override
  public void configure(Map<String, ?> props) {
    ConcatFieldsConfig config = new ConcatFieldsConfig(props);
    field = config.field();
    template = config.template();
    nulls = config.nullHandling();
    newSchemaCache();
  }

  @Override
  public R apply(R record) {
    return applyToSide(
        record,
        this::applyStruct,
        this::applyMap,
        value -> {
          throw new DataException(
              "ConcatFields needs a struct or map, got "
                  + value.getClass().getName()
                  + " in "
                  + record);
        });
  }

  private R applyStruct(R record, Schema schema, Struct struct) {
    String text = template.render(path -> path.get(struct), nulls);
    Schema outSchema = schemas.get(schema, this::deriveSchema);
    Struct out = new Struct(outSchema);
    for (Field f : outSchema.fields()) {
      out.put(f, f.name().equals(field) ? text : struct.get(f.name()));
    }
    return side.newRecord(record, outSchema, out);
  }

  private R applyMap(R record, Map<?, ?> map) {
    Map<Object, Object> out = new LinkedHashMap<>(map);
    out.put(field, template.render(path -> path.get(map), nulls));
    return side.newRecord(record, null, out);
  }

  private Schema deriveSchema(Schema schema) {
    if (schema.type() != Schema.Type.STRUCT) {
      throw new DataException("ConcatFields needs a struct schema, got " + schema.type());
    }
    SchemaBuilder builder = structLike(schema);
    for (Field f : schema.fields()) {
      builder.field(f.name(), f.name().equals(field) ? Schema.OPTIONAL_STRING_SCHEMA : f.schema());
    }
    if (schema.field(field) == null) {
      builder.field(field, Schema.OPTIONAL_STRING_SCHEMA);
    }
    // Fail on a mistyped field path when the schema is first seen, not at some later null value.
    template.parts().stream().filter(p -> !p.isLiteral()).forEach(p -> p.field().schema(schema));
    return builder.build();
  }

  @Override
  public ConfigDef config() {
    return ConcatFieldsConfig.CONFIG_DEF;
  }

  /** Computes a field of the record key. */
  public static class Key<R extends ConnectRecord<R>> extends ConcatFields<R> {
    public Key() {
      super(RecordSide.KEY);
    }
  }

  /** Computes a field of the record value. */
  public static class Value<R extends ConnectRecord<R>> extends ConcatFields<R> {
    public Value() {
      super(RecordSide.VALUE);
    }
  }
}
