package io.pgsnow.sink.naming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The table of each topic: an exact {@code snowflake.topic2table.map} entry, else the first regex
 * entry matching the whole topic name, else a name derived from the topic the way the official
 * connector derives it (so both connectors write the same tables).
 */
public final class TopicTableMap {

  private static final Pattern REGEX_HINT = Pattern.compile("[\\\\*+?\\[\\](){}|^$]");

  private final Map<String, Identifier> exact;
  private final List<Map.Entry<Pattern, Identifier>> patterns;
  private final Map<String, Identifier> cache = new ConcurrentHashMap<>();

  private TopicTableMap(Map<String, Identifier> exact, List<Map.Entry<Pattern, Identifier>> rx) {
    this.exact = exact;
    this.patterns = rx;
  }

  /**
   * Parses {@code topic1:table1,topic2:table2}. A key holding regex metacharacters is a pattern
   * matched against the whole topic name.
   *
   * @throws IllegalArgumentException naming the offending entry
   */
  public static TopicTableMap parse(String spec) {
    Map<String, Identifier> exact = new LinkedHashMap<>();
    List<Map.Entry<Pattern, Identifier>> patterns = new ArrayList<>();
    if (spec != null && !spec.isBlank()) {
      for (String entry : spec.split(",")) {
        String trimmed = entry.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
          throw new IllegalArgumentException("Expected topic:table, got '" + trimmed + "'");
        }
        String key = trimmed.substring(0, colon).trim();
        Identifier table = Identifier.parse(trimmed.substring(colon + 1).trim());
        if (REGEX_HINT.matcher(key).find()) {
          patterns.add(Map.entry(compile(key), table));
        } else if (exact.putIfAbsent(key, table) != null) {
          throw new IllegalArgumentException("Topic '" + key + "' is mapped twice");
        }
      }
    }
    return new TopicTableMap(exact, patterns);
  }

  private static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid topic regex '" + regex + "': " + e.getDescription());
    }
  }

  /** The table the topic's records land in. */
  public Identifier tableFor(String topic) {
    return cache.computeIfAbsent(topic, this::resolve);
  }

  private Identifier resolve(String topic) {
    Identifier mapped = exact.get(topic);
    if (mapped != null) {
      return mapped;
    }
    return patterns.stream()
        .filter(e -> e.getKey().matcher(topic).matches())
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseGet(() -> derived(topic));
  }

  /** The exact entry for a topic, if any. */
  public Optional<Identifier> exactEntry(String topic) {
    return Optional.ofNullable(exact.get(topic));
  }

  /**
   * The official connector's rule: a valid unquoted identifier is used as is; otherwise invalid
   * characters become underscores, a leading digit gets an underscore prefix, and the topic's hash
   * code is appended so distinct topics keep distinct tables.
   */
  static Identifier derived(String topic) {
    if (Identifier.isUnquoted(topic)) {
      return Identifier.of(topic);
    }
    String name = topic.replaceAll("[^A-Za-z0-9_]", "_");
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    return Identifier.of(name + "_" + Math.abs(topic.hashCode()));
  }
}
