package io.pgsnow.source;

import io.pgsnow.common.Version;
import io.pgsnow.source.config.ColumnFilterKeys;
import io.pgsnow.source.config.UnsupportedDebeziumKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams the changes of one PostgreSQL database to Kafka through the built-in pgoutput logical
 * decoding plugin, as Debezium-compatible change events, one topic per table. One replication slot
 * feeds one task.
 */
public class PostgresCdcSourceConnector extends SourceConnector {
  private static final Set<String> CONNECTION_KEYS =
      Set.of(
          PostgresCdcSourceConfig.HOSTNAME,
          PostgresCdcSourceConfig.PORT,
          PostgresCdcSourceConfig.USER,
          PostgresCdcSourceConfig.PASSWORD,
          PostgresCdcSourceConfig.DBNAME);

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new PostgresCdcSourceConfig(props);
    this.props = new HashMap<>(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresCdcSourceTask.class;
  }

  /** A replication slot is read by one connection, so there is one task whatever tasks.max is. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {
    // Nothing to release: the task owns the replication connection.
  }

  @Override
  public ConfigDef config() {
    return PostgresCdcSourceConfig.CONFIG_DEF;
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    // Every record's offset is an exact stream position, and a restart resumes right after the
    // last committed one, so records written in the worker's transactions are exactly once.
    return ExactlyOnceSupport.SUPPORTED;
  }

  private static final Pattern CONFIGURATION_NAME = Pattern.compile("for configuration (\\S+?):");

  /** The key a {@link ConfigException} is about, from Kafka's "for configuration KEY:" text. */
  private static Optional<String> configurationNamed(ConfigException e) {
    Matcher m = CONFIGURATION_NAME.matcher(String.valueOf(e.getMessage()));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Map<String, String> withAliases = PostgresCdcSourceConfig.withAliases(connectorConfigs);
    Config validated = super.validate(withAliases);
    List<ConfigValue> all = new ArrayList<>(validated.configValues());
    Config result = new Config(all);
    Map<String, ConfigValue> values = new HashMap<>();
    for (ConfigValue v : result.configValues()) {
      values.put(v.name(), v);
    }
    Map<String, String> refused =
        new LinkedHashMap<>(
            UnsupportedDebeziumKeys.errors(connectorConfigs, PostgresCdcSourceConfig.CONFIG_DEF));
    ColumnFilterKeys.errors(connectorConfigs).forEach(refused::putIfAbsent);
    refused.forEach(
        (key, message) -> {
          ConfigValue value = values.get(key);
          if (value == null) {
            value = new ConfigValue(key, connectorConfigs.get(key), List.of(), new ArrayList<>());
            all.add(value);
            values.put(key, value);
          }
          value.addErrorMessage(message);
        });
    String prefix = withAliases.get(PostgresCdcSourceConfig.TOPIC_PREFIX);
    if (prefix == null || prefix.isBlank()) {
      values
          .get(PostgresCdcSourceConfig.TOPIC_PREFIX)
          .addErrorMessage("Set topic.prefix (or its alias database.server.name)");
    }
    boolean anyErrors = values.values().stream().anyMatch(v -> !v.errorMessages().isEmpty());
    boolean connectionKeysValid =
        CONNECTION_KEYS.stream().allMatch(k -> values.get(k).errorMessages().isEmpty());
    if (connectionKeysValid && !anyErrors) {
      PostgresCdcSourceConfig config;
      try {
        config = new PostgresCdcSourceConfig(withAliases);
      } catch (ConfigException e) {
        // A cross-key rule of the config class (the snapshot keys): put it on the key it names.
        String key =
            configurationNamed(e)
                .filter(values::containsKey)
                .orElse(PostgresCdcSourceConfig.TOPIC_PREFIX);
        values.get(key).addErrorMessage(e.getMessage());
        return result;
      }
      new ConnectionValidator(config, (key, message) -> values.get(key).addErrorMessage(message))
          .validate();
    }
    return result;
  }
}
