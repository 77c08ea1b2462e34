package io.pgsnow.converter;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.ConverterType;

/**
 * The configuration of {@link FastJsonConverter}: Kafka's {@code JsonConverter} keys with the same
 * names, defaults and meanings. A key outside this set is rejected rather than ignored, and so is a
 * key the worker's own {@code JsonConverter} does not know (it would be ignored on the read side).
 */
public final class FastJsonConverterConfig extends AbstractConfig {
  public static final String SCHEMAS_ENABLE = "schemas.enable";
  public static final String SCHEMAS_CACHE_SIZE = "schemas.cache.size";
  public static final String DECIMAL_FORMAT = "decimal.format";
  public static final String REPLACE_NULL_WITH_DEFAULT = "replace.null.with.default";
  public static final String SCHEMA_CONTENT = "schema.content";
  public static final String CONVERTER_TYPE = "converter.type";

  /** How a {@code Decimal} is written: base64 of the unscaled bytes, or a JSON number. */
  public enum DecimalFormat {
    BASE64,
    NUMERIC
  }

  private static final String GROUP = "Converter";

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              SCHEMAS_ENABLE,
              Type.BOOLEAN,
              true,
              Importance.HIGH,
              "Wrap each key, value or header in an envelope with its schema: {\"schema\": ...,"
                  + " \"payload\": ...}, as JsonConverter does.",
              GROUP,
              1,
              ConfigDef.Width.SHORT,
              "Enable schemas")
          .define(
              SCHEMAS_CACHE_SIZE,
              Type.INT,
              1000,
              ConfigDef.Range.atLeast(0),
              Importance.LOW,
              "The most schemas whose envelope JSON is kept (per Schema instance, and in the"
                  + " JsonConverter that reads records back).",
              GROUP,
              2,
              ConfigDef.Width.SHORT,
              "Schema cache size")
          .define(
              DECIMAL_FORMAT,
              Type.STRING,
              DecimalFormat.BASE64.name(),
              ConfigDef.CaseInsensitiveValidString.in(
                  DecimalFormat.BASE64.name(), DecimalFormat.NUMERIC.name()),
              Importance.MEDIUM,
              "How decimals are written, case-insensitive: 'BASE64' (the unscaled value's bytes,"
                  + " JsonConverter's default) or 'NUMERIC' (a JSON number).",
              GROUP,
              3,
              ConfigDef.Width.SHORT,
              "Decimal format")
          .define(
              REPLACE_NULL_WITH_DEFAULT,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Whether a null field whose schema has a default value is written as that default"
                  + " (true) or as null (false).",
              GROUP,
              4,
              ConfigDef.Width.SHORT,
              "Replace null with default")
          .define(
              SCHEMA_CONTENT,
              Type.STRING,
              null,
              Importance.LOW,
              "Read side only (the records are read by Kafka's JsonConverter): when set, this JSON"
                  + " schema is used for every record read and the schemas in the records are"
                  + " ignored. Needs a worker whose JsonConverter has this key (Kafka 4.0 or later).",
              GROUP,
              5,
              ConfigDef.Width.LONG,
              "Schema content")
          .define(
              CONVERTER_TYPE,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              ConfigDef.ValidString.in(
                  ConverterType.KEY.getName(),
                  ConverterType.VALUE.getName(),
                  ConverterType.HEADER.getName()),
              Importance.LOW,
              "Set by the worker: whether this instance converts keys, values or headers.",
              GROUP,
              6,
              ConfigDef.Width.SHORT,
              "Converter type");

  public FastJsonConverterConfig(Map<String, ?> props) {
    super(CONFIG_DEF, props, false);
    for (String key : props.keySet()) {
      if (!CONFIG_DEF.names().contains(key)) {
        throw new ConfigException(
            key,
            props.get(key),
            "FastJsonConverter does not know this key; its keys are " + CONFIG_DEF.names());
      }
    }
  }

  /** Rejects each key that is set here but unknown to the worker's JsonConverter. */
  void requireKnownTo(Set<String> jsonConverterKeys) {
    for (String key : originals().keySet()) {
      if (!jsonConverterKeys.contains(key)) {
        throw new ConfigException(
            key,
            originals().get(key),
            "this worker's JsonConverter does not support the key, so it would be ignored");
      }
    }
  }

  public boolean schemasEnabled() {
    return getBoolean(SCHEMAS_ENABLE);
  }

  public int schemaCacheSize() {
    return getInt(SCHEMAS_CACHE_SIZE);
  }

  public DecimalFormat decimalFormat() {
    return DecimalFormat.valueOf(getString(DECIMAL_FORMAT).toUpperCase(Locale.ROOT));
  }

  public boolean replaceNullWithDefault() {
    return getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }
}
