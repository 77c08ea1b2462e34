package io.pgsnow.converter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;

/** A JsonConverter and a FastJsonConverter configured alike, and what each makes of a record. */
final class Converters {
  /** Every combination of the keys that change the bytes written. */
  static List<Map<String, String>> configurations() {
    List<Map<String, String>> configs = new ArrayList<>();
    for (String schemas : List.of("true", "false")) {
      for (String decimals : List.of("BASE64", "numeric")) {
        for (String replace : List.of("true", "false")) {
          configs.add(
              Map.of(
                  "schemas.enable", schemas,
                  "decimal.format", decimals,
                  "replace.null.with.default", replace));
        }
      }
    }
    return configs;
  }

  final JsonConverter reference = new JsonConverter();
  final FastJsonConverter fast = new FastJsonConverter();

  Converters(Map<String, String> config, boolean isKey) {
    reference.configure(new HashMap<>(config), isKey);
    fast.configure(new HashMap<>(config), isKey);
  }

  /** The bytes, or the class of the exception, as text. */
  static String outcome(Converter converter, Schema schema, Object value) {
    try {
      byte[] bytes = converter.convert(schema, value);
      return bytes == null
          ? "no bytes"
          : "bytes " + new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (RuntimeException e) {
      return "threw " + e.getClass().getName();
    }
  }

  String referenceOutcome(Schema schema, Object value) {
    return outcome((s, v) -> reference.fromConnectData("topic", s, v), schema, value);
  }

  String fastOutcome(Schema schema, Object value) {
    return outcome((s, v) -> fast.fromConnectData("topic", s, v), schema, value);
  }

  /** One way to turn a record into bytes. */
  interface Converter {
    byte[] convert(Schema schema, Object value);
  }
}
