package io.pgsnow.source.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The topics that pgsnow's {@code LookupJoin} transforms in this connector's own chain ({@code
 * transforms.*}) read as their lookup table ({@code lookup.source=topic}). When the connector also
 * captures such a table, the join takes the table's rows in-line from the chain, so the snapshot
 * must put all of them through the chain before any row that is joined against them.
 *
 * <p>A {@code jdbc} lookup asks the database itself, which holds every row the snapshot copies, so
 * the order of the snapshot does not matter to it.
 */
public final class ChainLookupTopics {
  static final String LOOKUP_JOIN = "io.pgsnow.smt.LookupJoin";

  private ChainLookupTopics() {}

  /** The lookup topics of the chain in the connector config {@code props}, in chain order. */
  public static Set<String> of(Map<String, ?> props) {
    Set<String> topics = new LinkedHashSet<>();
    for (String alias : value(props, "transforms").split(",")) {
      String prefix = "transforms." + alias.trim() + ".";
      String type = value(props, prefix + "type");
      boolean join = type.equals(LOOKUP_JOIN) || type.startsWith(LOOKUP_JOIN + "$");
      String topic = value(props, prefix + "topic.name");
      if (join
          && "topic".equalsIgnoreCase(value(props, prefix + "lookup.source"))
          && !topic.isEmpty()) {
        topics.add(topic);
      }
    }
    return topics;
  }

  private static String value(Map<String, ?> props, String key) {
    Object v = props.get(key);
    return v == null ? "" : v.toString().trim();
  }
}
