package io.pgsnow.source.naming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics given to the tables of one connector, checked for collisions: two tables must never
 * share a topic, nor take topics that differ only in {@code .} versus {@code _} (Kafka refuses to
 * create the second, so the producer would wait for it until it times out). A table keeps the topic
 * it was given; a table whose topic collides with one already given is refused with a message
 * naming both tables and the fix. Safe to use from several threads.
 */
public final class TopicAssignments {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAssignments.class);

  private final TopicNamer namer;
  private final Map<String, TableNames> byCollisionKey = new HashMap<>();

  public TopicAssignments(TopicNamer namer) {
    this.namer = namer;
  }

  /**
   * The names of a table, given to it now if it has none yet. Logs, once per table, a table whose
   * topic had to be made valid.
   *
   * @throws TopicCollisionException when another table already has this topic, or one Kafka would
   *     see as the same
   */
  public synchronized TableNames assign(String schema, String table) {
    return assign(schema, table, true);
  }

  /**
   * Names a table the catalog lists when the task starts, as {@link #assign} does; a collision
   * among these tables is between two tables that both exist.
   */
  public synchronized TableNames assignAtStart(String schema, String table) {
    return assign(schema, table, false);
  }

  private TableNames assign(String schema, String table, boolean whileRunning) {
    TableNames names = namer.name(schema, table);
    TableNames holder = byCollisionKey.putIfAbsent(TopicNamer.collisionKey(names.topic()), names);
    if (holder == null) {
      if (names.renamed()) {
        LOG.warn(
            "Table {} goes to topic {}, as a Kafka topic name holds at most {} of the characters"
                + " a-z, A-Z, 0-9, '.', '_' and '-' (any other became '{}')",
            names.qualifiedName(),
            names.topic(),
            TopicNamer.MAX_TOPIC_LENGTH,
            TopicNamer.REPLACEMENT);
      }
      return names;
    }
    if (!holder.sameTable(names)) {
      throw new TopicCollisionException(new Collision(holder, names), whileRunning);
    }
    return holder;
  }

  /** The collisions among the names of {@code tables}, in their order. */
  public static List<Collision> collisions(List<TableNames> tables) {
    Map<String, TableNames> seen = new HashMap<>();
    List<Collision> collisions = new ArrayList<>();
    for (TableNames names : tables) {
      TableNames first = seen.putIfAbsent(TopicNamer.collisionKey(names.topic()), names);
      if (first != null && !first.sameTable(names)) {
        collisions.add(new Collision(first, names));
      }
    }
    return collisions;
  }

  /** Two tables whose topics Kafka cannot hold side by side. */
  public record Collision(TableNames first, TableNames second) {
    public String message() {
      String topics =
          first.topic().equals(second.topic())
              ? "both go to topic " + first.topic()
              : "go to topics "
                  + first.topic()
                  + " and "
                  + second.topic()
                  + ", which Kafka cannot hold side by side (topic names differing only in '.'"
                  + " versus '_' collide)";
      return "Tables "
          + first.qualifiedName()
          + " and "
          + second.qualifiedName()
          + " "
          + topics
          + ": capture only one of them (table.exclude.list) or rename one of the tables";
    }
  }
}
