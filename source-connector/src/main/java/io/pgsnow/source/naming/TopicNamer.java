package io.pgsnow.source.naming;

import io.pgsnow.source.config.SchemaNameAdjustment;

/**
 * Names the topic and the Connect schemas of a table, as a pure function of the table's name, so a
 * table keeps its topic across restarts, tasks and workers.
 *
 * <p>The topic is {@code <topic.prefix>.<schema>.<table>} made valid the way Debezium makes it:
 * every character Kafka does not allow in a topic name (anything but {@code a-z A-Z 0-9 . _ -})
 * becomes {@code _}, one per UTF-16 unit (so a character outside the Basic Multilingual Plane, an
 * emoji say, becomes {@code __}), and a name longer than Kafka's 249 characters is cut to 249.
 * Names that are already valid are unchanged.
 *
 * <p>The Connect schema names start with the topic. With {@link SchemaNameAdjustment#AVRO} they are
 * made valid Avro full names (each dot-separated part {@code [A-Za-z_][A-Za-z0-9_]*}): {@code -}
 * becomes {@code _} and a part starting with a digit gets a leading {@code _}; with {@link
 * SchemaNameAdjustment#NONE} they are the topic as it is.
 */
public final class TopicNamer {
  /** The longest topic name Kafka accepts. */
  public static final int MAX_TOPIC_LENGTH = 249;

  /** What stands in for each character a topic name cannot hold. */
  public static final char REPLACEMENT = '_';

  private final String prefix;
  private final SchemaNameAdjustment adjustment;

  public TopicNamer(String prefix, SchemaNameAdjustment adjustment) {
    this.prefix = prefix;
    this.adjustment = adjustment;
  }

  public TableNames name(String schema, String table) {
    String wanted = prefix + "." + schema + "." + table;
    String topic = validTopic(wanted);
    String schemaNameBase =
        adjustment == SchemaNameAdjustment.AVRO ? validAvroFullName(topic) : topic;
    return new TableNames(schema, table, topic, schemaNameBase, !topic.equals(wanted));
  }

  /** Whether Kafka accepts {@code c} in a topic name. */
  public static boolean isTopicCharacter(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  /** {@code name} with every character Kafka does not allow replaced, cut to 249 characters. */
  public static String validTopic(String name) {
    StringBuilder valid = new StringBuilder(Math.min(name.length(), MAX_TOPIC_LENGTH));
    for (int i = 0; i < name.length() && valid.length() < MAX_TOPIC_LENGTH; i++) {
      char c = name.charAt(i);
      valid.append(isTopicCharacter(c) ? c : REPLACEMENT);
    }
    String result = valid.toString();
    // Kafka refuses the names "." and "..", which a prefix of dots alone could give.
    if (result.equals(".") || result.equals("..")) {
      return result.replace('.', REPLACEMENT);
    }
    return result;
  }

  /**
   * The form Kafka uses to detect topics that would collide in its metric names: topics that differ
   * only in {@code .} versus {@code _} cannot both exist (the broker refuses the second).
   */
  public static String collisionKey(String topic) {
    return topic.replace('.', '_');
  }

  /** {@code topic} as an Avro full name: each dot-separated part a valid Avro name. */
  static String validAvroFullName(String topic) {
    StringBuilder name = new StringBuilder(topic.length() + 4);
    boolean partStart = true;
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '.') {
        if (partStart) {
          name.append(REPLACEMENT);
        }
        name.append('.');
        partStart = true;
        continue;
      }
      if (partStart && c >= '0' && c <= '9') {
        name.append(REPLACEMENT);
      }
      name.append(isAvroNameCharacter(c) ? c : REPLACEMENT);
      partStart = false;
    }
    if (partStart) {
      name.append(REPLACEMENT);
    }
    return name.toString();
  }

  private static boolean isAvroNameCharacter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
