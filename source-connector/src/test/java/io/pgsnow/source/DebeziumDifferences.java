package io.pgsnow.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The differences between pgsnow's change events and Debezium's that are allowed, each with its
 * reason, read from {@code debezium-differences.txt}; and the field-by-field comparison of two
 * events' JSON (schema and payload) that finds the actual ones.
 */
final class DebeziumDifferences {
  static final Path FILE = Path.of("src", "test", "resources", "debezium-differences.txt");
  static final String README_START = "<!-- debezium-differences:start -->";
  static final String README_END = "<!-- debezium-differences:end -->";

  private DebeziumDifferences() {}

  /** The listed differences: path to reason, in the file's order. */
  static Map<String, String> listed() {
    Map<String, String> listed = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int bar = line.indexOf(" | ");
        if (bar < 0) {
          throw new IllegalStateException("A difference needs ' | <reason>': " + line);
        }
        listed.put(line.substring(0, bar).trim(), line.substring(bar + 3).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return listed;
  }

  /** The README section rendered from the list. */
  static String readmeSection() {
    StringBuilder out = new StringBuilder();
    out.append(README_START).append('\n');
    out.append(
        "<!-- Generated from source-connector/src/test/resources/debezium-differences.txt by"
            + " DebeziumDifferencesReadmeTest; do not edit. -->\n\n");
    out.append("| where | difference and reason |\n| --- | --- |\n");
    listed().forEach((path, reason) -> out.append("| `" + path + "` | " + reason + " |\n"));
    out.append(README_END);
    return out.toString();
  }

  /** Adds to {@code out} the path of every leaf where {@code a} and {@code b} differ. */
  static void compare(String path, JsonNode a, JsonNode b, Map<String, String> out) {
    if (a == null || b == null || a.isNull() || b.isNull()) {
      boolean aNull = a == null || a.isNull();
      boolean bNull = b == null || b.isNull();
      if (aNull != bNull) {
        out.put(path, "pgsnow " + a + ", Debezium " + b);
      }
      return;
    }
    if (a.isObject() && b.isObject()) {
      if (a.has("fields") && a.get("fields").isArray() && b.has("fields")) {
        compareFields(path, a, b, out);
      }
      Set<String> names = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!"fields".equals(name) || !a.get("fields").isArray()) {
          compare(path + "." + name, a.get(name), b.get(name), out);
        }
      }
      return;
    }
    if (!a.equals(b)) {
      out.put(path, "pgsnow " + a + ", Debezium " + b);
    }
  }

  /** Struct schemas: fields compared by name, and their order. */
  private static void compareFields(String path, JsonNode a, JsonNode b, Map<String, String> out) {
    Map<String, JsonNode> fa = byName(a.get("fields"));
    Map<String, JsonNode> fb = byName(b.get("fields"));
    List<String> orderA = new ArrayList<>(fa.keySet());
    List<String> orderB = new ArrayList<>(fb.keySet());
    orderA.retainAll(fb.keySet());
    orderB.retainAll(fa.keySet());
    if (!orderA.equals(orderB)) {
      out.put(path + ".fields-order", "pgsnow " + orderA + ", Debezium " + orderB);
    }
    Set<String> names = new LinkedHashSet<>(fa.keySet());
    names.addAll(fb.keySet());
    for (String name : names) {
      compare(path + "." + name, fa.get(name), fb.get(name), out);
    }
  }

  private static Map<String, JsonNode> byName(JsonNode fields) {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    for (Iterator<JsonNode> it = fields.elements(); it.hasNext(); ) {
      JsonNode f = it.next();
      map.put(f.get("field").asText(), f);
    }
    return map;
  }
}
