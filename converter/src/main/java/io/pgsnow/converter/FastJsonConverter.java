package io.pgsnow.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pgsnow.common.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * A drop-in for Kafka's {@link JsonConverter} that writes the same bytes with less CPU: the record
 * is streamed token by token into a reused buffer instead of being built as a JSON tree and then
 * serialised, and the schema half of the envelope is serialised once per {@link Schema} instance.
 *
 * <p>Reading ({@link #toConnectData}) and anything the fast path does not write itself go to a
 * JsonConverter configured with the same keys, so the output can only differ from JsonConverter's
 * if the fast path writes a value differently without failing; the equivalence tests compare the
 * bytes type by type.
 */
public class FastJsonConverter implements Converter, HeaderConverter, Versioned {
  public static final String OVERVIEW_DOC =
      "A drop-in replacement for Kafka's <code>org.apache.kafka.connect.json.JsonConverter</code>"
          + " (key, value or header converter) that writes byte-identical JSON with less CPU: the"
          + " record is streamed straight to bytes, with no intermediate JSON tree, and the schema"
          + " envelope is serialised once per schema. Reading is JsonConverter's own. Same keys,"
          + " defaults and meanings as JsonConverter; any other key is rejected.";

  /** No separator between the root-level records one generator writes. */
  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  private static final ObjectMapper SCHEMA_MAPPER = new ObjectMapper();
  private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NULL_SCHEMA_PREFIX =
      envelopePrefix("null".getBytes(StandardCharsets.UTF_8));

  private final JsonConverter delegate = new JsonConverter();
  private final ReusableByteOutput out = new ReusableByteOutput(4096, 1 << 20);
  private boolean schemasEnabled;
  private JsonValueWriter writer;
  private Cache<Schema, byte[]> envelopePrefixes;
  private JsonGenerator generator;
  private long slowPathRecords;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public ConfigDef config() {
    return FastJsonConverterConfig.CONFIG_DEF;
  }

  @Override
  public void configure(Map<String, ?> configs) {
    FastJsonConverterConfig config = new FastJsonConverterConfig(configs);
    config.requireKnownTo(delegate.config().names());
    delegate.configure(configs);
    schemasEnabled = config.schemasEnabled();
    writer =
        new JsonValueWriter(
            config.replaceNullWithDefault(),
            config.decimalFormat() == FastJsonConverterConfig.DecimalFormat.NUMERIC);
    envelopePrefixes =
        Caffeine.newBuilder().weakKeys().maximumSize(config.schemaCacheSize()).build();
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> withType = new HashMap<>(configs);
    withType.put(
        FastJsonConverterConfig.CONVERTER_TYPE,
        isKey ? ConverterType.KEY.getName() : ConverterType.VALUE.getName());
    configure(withType);
  }

  @Override
  public synchronized byte[] fromConnectData(String topic, Schema schema, Object value) {
    if (schema == null && value == null) {
      return null;
    }
    try {
      out.reset();
      if (schemasEnabled) {
        out.write(envelopePrefix(schema));
      }
      JsonGenerator g = generator();
      writer.write(g, schema, value);
      g.flush();
      if (schemasEnabled) {
        out.write('}');
      }
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      // The generator may be inside an unfinished value: start the next record on a new one.
      generator = null;
      return slowPath(topic, schema, value);
    }
  }

  /** JsonConverter writes the record, or throws its own error for it. */
  private byte[] slowPath(String topic, Schema schema, Object value) {
    slowPathRecords++;
    return delegate.fromConnectData(topic, schema, value);
  }

  /** How many records this instance left to JsonConverter (unusual values and bad ones). */
  synchronized long slowPathRecords() {
    return slowPathRecords;
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte[] value) {
    return delegate.toConnectData(topic, value);
  }

  @Override
  public byte[] fromConnectHeader(String topic, String headerKey, Schema schema, Object value) {
    return fromConnectData(topic, schema, value);
  }

  @Override
  public SchemaAndValue toConnectHeader(String topic, String headerKey, byte[] value) {
    return toConnectData(topic, value);
  }

  @Override
  public synchronized void close() {
    generator = null;
    Utils.closeQuietly(delegate, "JsonConverter");
  }

  private JsonGenerator generator() throws IOException {
    if (generator == null) {
      generator = FACTORY.createGenerator(out);
    }
    return generator;
  }

  /**
   * {@code {"schema":<schema JSON>,"payload":}} for the schema, as JsonConverter serialises it.
   * Only immutable schemas are cached (by identity): a SchemaBuilder may still change.
   */
  private byte[] envelopePrefix(Schema schema) {
    if (schema == null) {
      return NULL_SCHEMA_PREFIX;
    }
    if (!(schema instanceof ConnectSchema)) {
      return envelopePrefix(schemaJson(schema));
    }
    return envelopePrefixes.get(schema, s -> envelopePrefix(schemaJson(s)));
  }

  private byte[] schemaJson(Schema schema) {
    try {
      return SCHEMA_MAPPER.writeValueAsBytes(delegate.asJsonSchema(schema));
    } catch (IOException e) {
      throw new DataException("Could not serialise the schema " + schema, e);
    }
  }

  private static byte[] envelopePrefix(byte[] schemaJson) {
    byte[] start = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    byte[] prefix = new byte[start.length + schemaJson.length + PAYLOAD_FIELD.length];
    System.arraycopy(start, 0, prefix, 0, start.length);
    System.arraycopy(schemaJson, 0, prefix, start.length, schemaJson.length);
    System.arraycopy(
        PAYLOAD_FIELD, 0, prefix, start.length + schemaJson.length, PAYLOAD_FIELD.length);
    return prefix;
  }
}
