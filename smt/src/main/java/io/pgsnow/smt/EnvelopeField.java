package io.pgsnow.smt;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A field of a change-event envelope that {@link UnwrapChangeEvent} copies onto the row or into a
 * header: {@code op}, {@code ts_ms} (top level), {@code table}, {@code lsn} (inside {@code source})
 * or an explicit {@code struct.field}.
 *
 * @param struct the envelope field holding it, or null for a bare name
 * @param field the field name
 * @param outputName the name on the row or header
 */
public record EnvelopeField(String struct, String field, String outputName) {
  private static final Set<String> TOP_LEVEL = Set.of("op", "ts_ms", "ts_us", "ts_ns");
  private static final String SOURCE = "source";

  static EnvelopeField parse(String spec, String prefix) {
    String trimmed = spec.trim();
    int dot = trimmed.indexOf('.');
    if (dot < 0) {
      return new EnvelopeField(null, trimmed, prefix + trimmed);
    }
    return new EnvelopeField(
        trimmed.substring(0, dot), trimmed.substring(dot + 1), prefix + trimmed.replace('.', '_'));
  }

  /**
   * The schema of this field in an envelope schema, or null when the envelope has no such field.
   */
  Schema schemaIn(Schema envelope) {
    Schema holder = holderSchema(envelope);
    if (holder == null) {
      return null;
    }
    Field f = holder.field(field);
    return f == null ? null : f.schema();
  }

  Object valueIn(Struct envelope) {
    Schema holder = holderSchema(envelope.schema());
    if (holder == null || holder.field(field) == null) {
      return null;
    }
    Struct from = holder == envelope.schema() ? envelope : envelope.getStruct(holderName(envelope));
    return from == null ? null : from.get(field);
  }

  /** The value in a schemaless envelope, and whether the envelope has the field at all. */
  Object valueIn(Map<?, ?> envelope) {
    Object holder = holderMap(envelope);
    return holder instanceof Map<?, ?> map ? map.get(field) : null;
  }

  boolean presentIn(Map<?, ?> envelope) {
    Object holder = holderMap(envelope);
    return holder instanceof Map<?, ?> map && map.containsKey(field);
  }

  private Object holderMap(Map<?, ?> envelope) {
    if (struct != null) {
      return envelope.get(struct);
    }
    if (TOP_LEVEL.contains(field) || envelope.containsKey(field) && !envelope.containsKey(SOURCE)) {
      return envelope;
    }
    return envelope.get(SOURCE);
  }

  private String holderName(Struct envelope) {
    return struct != null ? struct : SOURCE;
  }

  private Schema holderSchema(Schema envelope) {
    if (struct == null && (TOP_LEVEL.contains(field) || envelope.field(SOURCE) == null)) {
      return envelope;
    }
    Field holder = envelope.field(struct != null ? struct : SOURCE);
    return holder != null && holder.schema().type() == Schema.Type.STRUCT ? holder.schema() : null;
  }
}
