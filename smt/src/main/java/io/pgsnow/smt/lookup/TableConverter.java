package io.pgsnow.smt.lookup;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Reads one side (key or value) of a table topic's records, and tells what an in-line record's side
 * becomes once written to that topic and read back, so that a table filled in-line holds exactly
 * the rows a rebuild from the topic gives.
 *
 * <p>Three kinds:
 *
 * <ul>
 *   <li>{@link #json}: Kafka's JsonConverter with {@code schemas.enable} set: an in-line side is
 *       written and read back through it (a Struct becomes the Map a schemaless topic gives, or the
 *       Struct with exactly the schema a schema'd topic gives);
 *   <li>{@link #detectedJson}: JsonConverter with {@code schemas.enable} not set: each record is
 *       read as what it is, an envelope of {@code schema} and {@code payload} or plain JSON. What
 *       the topic holds is learnt from its first record; until then an in-line side is kept as it
 *       is;
 *   <li>{@link #other}: any other converter (Avro, Protobuf, JSON Schema): records are read with
 *       it; in-line sides are kept as they are, because writing through such a converter may
 *       register schemas.
 * </ul>
 */
public final class TableConverter {
  /** Kafka's JSON converter, the default of the table converters. */
  public static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

  private static final String SCHEMAS_ENABLE = "schemas.enable";
  private static final Set<String> ENVELOPE = Set.of("schema", "payload");

  private final Converter primary;
  private final Converter plain;
  private final Kind kind;
  private volatile Boolean schemas;

  private enum Kind {
    JSON,
    DETECTED_JSON,
    OTHER
  }

  private TableConverter(Converter primary, Converter plain, Kind kind, Boolean schemas) {
    this.primary = primary;
    this.plain = plain;
    this.kind = kind;
    this.schemas = schemas;
  }

  /**
   * The converter of a class and its settings: Kafka's JsonConverter is read as {@link #json} when
   * the settings give {@code schemas.enable} and as {@link #detectedJson} when they do not.
   */
  public static TableConverter create(String className, Map<String, ?> settings, boolean isKey) {
    if (!JSON_CONVERTER.equals(className)) {
      return other(newConverter(className, settings, isKey));
    }
    Object schemasEnable = settings.get(SCHEMAS_ENABLE);
    if (schemasEnable != null) {
      return json(
          newConverter(className, settings, isKey),
          Boolean.parseBoolean(schemasEnable.toString().trim()));
    }
    Map<String, Object> withSchemas = new HashMap<>(settings);
    withSchemas.put(SCHEMAS_ENABLE, "true");
    Map<String, Object> plain = new HashMap<>(settings);
    plain.put(SCHEMAS_ENABLE, "false");
    return detectedJson(
        newConverter(className, withSchemas, isKey), newConverter(className, plain, isKey));
  }

  private static Converter newConverter(String className, Map<String, ?> settings, boolean isKey) {
    try {
      Converter converter = Utils.newInstance(className, Converter.class);
      converter.configure(settings, isKey);
      return converter;
    } catch (ClassNotFoundException e) {
      throw new ConnectException("Converter class " + className + " not found", e);
    }
  }

  /** A JsonConverter configured with an explicit {@code schemas.enable}. */
  public static TableConverter json(Converter converter, boolean schemasEnabled) {
    return new TableConverter(converter, null, Kind.JSON, schemasEnabled);
  }

  /**
   * JsonConverters configured alike but for {@code schemas.enable}, true in {@code withSchemas} and
   * false in {@code plain}.
   */
  public static TableConverter detectedJson(Converter withSchemas, Converter plain) {
    return new TableConverter(withSchemas, plain, Kind.DETECTED_JSON, null);
  }

  /** Any other converter. */
  public static TableConverter other(Converter converter) {
    return new TableConverter(converter, null, Kind.OTHER, null);
  }

  /** Connect data of one side of a topic record. */
  public SchemaAndValue read(String topic, Headers headers, byte[] bytes) {
    if (kind == Kind.JSON && Boolean.FALSE.equals(schemas)) {
      SchemaAndValue data = primary.toConnectData(topic, headers, bytes);
      if (isEnvelope(data.value())) {
        // Read as plain JSON, every row would be {schema, payload}: wrong rows, silent misses.
        throw new DataException(
            "The record is JSON with a schema (schema and payload), but the table's converter has"
                + " schemas.enable=false: set it to true, or leave it unset to detect it");
      }
      return data;
    }
    if (kind != Kind.DETECTED_JSON) {
      return primary.toConnectData(topic, headers, bytes);
    }
    if (bytes == null) {
      return SchemaAndValue.NULL;
    }
    if (Boolean.TRUE.equals(schemas)) {
      try {
        return primary.toConnectData(topic, headers, bytes);
      } catch (DataException e) {
        // Not an envelope: the topic holds plain JSON after all, or this record is plain.
        schemas = false;
        return plain.toConnectData(topic, headers, bytes);
      }
    }
    SchemaAndValue data = plain.toConnectData(topic, headers, bytes);
    if (isEnvelope(data.value())) {
      schemas = true;
      return primary.toConnectData(topic, headers, bytes);
    }
    schemas = false;
    return data;
  }

  private static boolean isEnvelope(Object value) {
    return value instanceof Map<?, ?> map && map.keySet().equals(ENVELOPE);
  }

  /**
   * What an in-line record's side becomes once written to the topic and read back: the same data in
   * the form the topic gives, or the side unchanged when that form is not known.
   */
  public Object readBack(String topic, Schema schema, Object value) {
    Converter converter = writer();
    if (converter == null || value == null) {
      return value;
    }
    byte[] bytes = converter.fromConnectData(topic, schema, value);
    return converter.toConnectData(topic, bytes).value();
  }

  private Converter writer() {
    return switch (kind) {
      case JSON -> primary;
      case DETECTED_JSON -> schemas == null ? null : schemas ? primary : plain;
      case OTHER -> null;
    };
  }

  /** Whether records are known to carry schemas: empty until the topic told. */
  public Optional<Boolean> schemas() {
    return Optional.ofNullable(schemas);
  }

  @Override
  public String toString() {
    return kind + (schemas == null ? "" : schemas ? " with schemas" : " without schemas");
  }
}
