package io.pgsnow.common.config;

import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A validator of a string key that parses the value the way the plugin will: the parser's {@code
 * IllegalArgumentException} becomes a {@code ConfigException} on the key, with the parser's
 * message. A null value (an optional key left unset) passes; the description is what the generated
 * config docs show as the valid values.
 *
 * @param description the valid values, for the docs
 * @param parser parses a value, throwing {@code IllegalArgumentException} when it is not valid
 */
public record ParsingValidator(String description, Consumer<String> parser)
    implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null) {
      return;
    }
    try {
      parser.accept((String) value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
