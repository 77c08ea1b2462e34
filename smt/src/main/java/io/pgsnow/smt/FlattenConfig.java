package io.pgsnow.smt;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Configuration of {@link Flatten}. */
public final class FlattenConfig extends AbstractConfig {
  public static final String DELIMITER = "delimiter";
  public static final String ARRAY_MODE = "array.mode";
  public static final String MAP_MODE = "map.mode";

  private static final String GROUP = "Flatten";

  /** How a collection that cannot become columns is carried. */
  public enum CollectionMode {
    /** Kept as it is. */
    KEEP,
    /** Replaced by its JSON text (an optional string field). */
    JSON
  }

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              DELIMITER,
              Type.STRING,
              "_",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Text between a parent's and a child's name in a flattened field name: with '_',"
                  + " field 'city' of struct 'address' becomes 'address_city'.",
              GROUP,
              1,
              Width.SHORT,
              "Delimiter")
          .define(
              ARRAY_MODE,
              Type.STRING,
              ConfigChoice.valueOf(CollectionMode.KEEP),
              ConfigChoice.validator(CollectionMode.class),
              Importance.MEDIUM,
              "What becomes of array fields: 'keep' leaves them as arrays, 'json' replaces each by"
                  + " its JSON text (for sinks and tables without array columns).",
              GROUP,
              2,
              Width.SHORT,
              "Array mode")
          .define(
              MAP_MODE,
              Type.STRING,
              ConfigChoice.valueOf(CollectionMode.KEEP),
              ConfigChoice.validator(CollectionMode.class),
              Importance.MEDIUM,
              "What becomes of map fields of schema'd (Struct) records, whose keys are unknown"
                  + " until a record arrives and so cannot become fields: 'keep' leaves them as"
                  + " maps, 'json' replaces each by its JSON text. In schemaless records nested"
                  + " maps are always flattened into fields.",
              GROUP,
              3,
              Width.SHORT,
              "Map mode");

  public FlattenConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
  }

  public String delimiter() {
    return getString(DELIMITER);
  }

  public CollectionMode arrayMode() {
    return ConfigChoice.parse(CollectionMode.class, ARRAY_MODE, getString(ARRAY_MODE));
  }

  public CollectionMode mapMode() {
    return ConfigChoice.parse(CollectionMode.class, MAP_MODE, getString(MAP_MODE));
  }
}
