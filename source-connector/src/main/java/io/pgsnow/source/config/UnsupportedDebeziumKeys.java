package io.pgsnow.source.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Keys of Debezium's PostgreSQL connector that pgsnow does not implement. A config that sets one is
 * refused on that key, so no setting is silently ignored; a key may be accepted with the values
 * that mean what pgsnow does anyway (Debezium's default, usually). A key the connector's ConfigDef
 * defines is never refused here: once implemented, it is validated there.
 */
public final class UnsupportedDebeziumKeys {
  /** Key to the values accepted for it (empty: none). */
  private static final Map<String, Set<String>> KEYS = keys();

  /** Families of keys, by prefix. */
  private static final List<String> PREFIXES =
      List.of(
          "column.mask.with.",
          "column.mask.hash.",
          "column.truncate.to.",
          "schema.history.internal.");

  private UnsupportedDebeziumKeys() {}

  private static Map<String, Set<String>> keys() {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    for (String key :
        List.of(
            "snapshot.locking.mode",
            "snapshot.isolation.mode",
            "snapshot.query.mode",
            "snapshot.lock.timeout.ms",
            "snapshot.delay.ms",
            "snapshot.tables.order.by.row.count",
            "incremental.snapshot.watermarking.strategy",
            "signal.enabled.channels",
            "notification.enabled.channels",
            "column.propagate.source.type",
            "datatype.propagate.source.type",
            "converters",
            "post.processors",
            "schema.refresh.mode",
            "slot.stream.params",
            "publish.via.partition.root",
            "replica.identity.autoset.values",
            "database.initial.statements",
            "topic.naming.strategy",
            "field.name.adjustment.mode",
            "custom.metric.tags",
            "read.only")) {
      keys.put(key, Set.of());
    }
    keys.put("xmin.fetch.interval.ms", Set.of("0"));
    keys.put("include.unknown.datatypes", Set.of("true"));
    keys.put("event.processing.failure.handling.mode", Set.of("fail"));
    return keys;
  }

  /** The refused keys of {@code props} with their messages, in the order given. */
  public static Map<String, String> errors(Map<String, String> props, ConfigDef def) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : props.entrySet()) {
      String key = e.getKey();
      if (def.configKeys().containsKey(key)) {
        continue;
      }
      Set<String> accepted = KEYS.get(key);
      boolean family = PREFIXES.stream().anyMatch(key::startsWith);
      if (accepted == null && !family) {
        continue;
      }
      String value = e.getValue() == null ? "" : e.getValue().trim().toLowerCase(Locale.ROOT);
      if (accepted != null && accepted.contains(value)) {
        continue;
      }
      errors.put(
          key,
          "pgsnow does not implement Debezium's "
              + key
              + (accepted == null || accepted.isEmpty()
                  ? ""
                  : " other than " + String.join(" or ", accepted.stream().sorted().toList()))
              + "; remove it from the config (see the connector's README)");
    }
    return errors;
  }

  /** The keys refused whatever their value, for the documentation. */
  public static List<String> keys(boolean withAcceptedValues) {
    return KEYS.entrySet().stream()
        .filter(e -> e.getValue().isEmpty() != withAcceptedValues)
        .map(Map.Entry::getKey)
        .toList();
  }
}
