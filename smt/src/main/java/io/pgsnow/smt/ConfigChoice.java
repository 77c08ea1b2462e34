package io.pgsnow.smt;

import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Maps enum constants to the lower-case, hyphenated values users write in configs ({@code
 * REWRITE_WITH_TOMBSTONE} is {@code rewrite-with-tombstone}), so that the validator, the docs and
 * the typed getter agree on one spelling.
 */
public final class ConfigChoice {
  private ConfigChoice() {}

  public static String valueOf(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static <E extends Enum<E>> ConfigDef.ValidString validator(Class<E> type) {
    return ConfigDef.ValidString.in(
        Arrays.stream(type.getEnumConstants()).map(ConfigChoice::valueOf).toArray(String[]::new));
  }

  public static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
    for (E constant : type.getEnumConstants()) {
      if (valueOf(constant).equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    throw new ConfigException(key, value, "Unknown value");
  }
}
