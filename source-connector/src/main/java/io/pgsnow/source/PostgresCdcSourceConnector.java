package io.pgsnow.source;

import io.pgsnow.common.Version;
import io.pgsnow.source.config.ColumnFilterKeys;
import io.pgsnow.source.config.UnsupportedDebeziumKeys;
import io.pgsnow.source.snapshot.SharedSnapshot;
import io.pgsnow.source.snapshot.SnapshotConfig;
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
 * feeds one task (task 0); with {@code tasks.max} above 1 the initial snapshot of a new slot is
 * spread over that many tasks ({@link TaskSnapshotExport}).
 */
public class PostgresCdcSourceConnector extends SourceConnector {
  private static final Set<String> CONNECTION_KEYS =
      Set.of(
          PostgresCdcSourceConfig.HOSTNAME,
          PostgresCdcSourceConfig.PORT,
          PostgresCdcSourceConfig.USER,
          PostgresCdcSourceConfig.PASSWORD,
          PostgresCdcSourceConfig.DBNAME);

  static final String TASKS_MAX = "tasks.max";

  private Map<String, String> props;
  private TaskSnapshotExport export;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    PostgresCdcSourceConfig config = new PostgresCdcSourceConfig(props);
    int tasks = tasksMax(props);
    tasksMaxError(config, tasks)
        .ifPresent(
            message -> {
              throw new ConfigException(TASKS_MAX, props.get(TASKS_MAX), message);
            });
    this.props = new HashMap<>(props);
    if (tasks > 1) {
      export =
          TaskSnapshotExport.createIfDue(config, tasks, context().offsetStorageReader(), context())
              .orElse(null);
    }
  }

  private static int tasksMax(Map<String, String> props) {
    try {
      return Integer.parseInt(props.getOrDefault(TASKS_MAX, "1").trim());
    } catch (NumberFormatException e) {
      return 1; // the worker refuses it on its own
    }
  }

  /** Why {@code tasks} tasks cannot work with {@code config}, if they cannot. */
  static Optional<String> tasksMaxError(PostgresCdcSourceConfig config, int tasks) {
    if (tasks <= 1) {
      return Optional.empty();
    }
    if (config.snapshot().mode() == SnapshotConfig.Mode.NO_DATA) {
      return Optional.of(
          "Tasks beyond the first only read chunks of the initial snapshot, and snapshot.mode="
              + "no_data takes none: set tasks.max to 1 (a replication slot is read by one task)");
    }
    if (!config.chainLookupTopics().isEmpty()) {
      return Optional.of(
          "The lookup tables of this connector's LookupJoin transforms "
              + config.chainLookupTopics()
              + " must be in Kafka before any other table's snapshot rows, which one task"
              + " guarantees and several reading in parallel cannot: set tasks.max to 1");
    }
    return Optional.empty();
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresCdcSourceTask.class;
  }

  /**
   * A replication slot is read by one connection, so one task streams. While the initial snapshot
   * of a new slot is exported for them, {@code tasks.max} tasks read its chunks.
   */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    if (export != null && export.valid()) {
      return export.taskConfigs(props);
    }
    return List.of(props);
  }

  @Override
  public void stop() {
    // The tasks own the replication connection; this holds only a snapshot exported for them.
    if (export != null) {
      export.close();
      export = null;
    }
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

  /** The config value of {@code key}, added when the connector's ConfigDef does not define it. */
  private static ConfigValue errorOn(
      String key,
      Map<String, String> connectorConfigs,
      Map<String, ConfigValue> values,
      List<ConfigValue> all) {
    ConfigValue value = values.get(key);
    if (value == null) {
      value = new ConfigValue(key, connectorConfigs.get(key), List.of(), new ArrayList<>());
      all.add(value);
      values.put(key, value);
    }
    return value;
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
    for (String key : connectorConfigs.keySet()) {
      if (SharedSnapshot.isTaskConfigKey(key)) {
        refused.putIfAbsent(key, "The connector sets " + key + " in its task configs; remove it");
      }
    }
    refused.forEach(
        (key, message) -> errorOn(key, connectorConfigs, values, all).addErrorMessage(message));
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
      tasksMaxError(config, tasksMax(connectorConfigs))
          .ifPresent(
              message ->
                  errorOn(TASKS_MAX, connectorConfigs, values, all).addErrorMessage(message));
      new ConnectionValidator(config, (key, message) -> values.get(key).addErrorMessage(message))
          .validate();
    }
    return result;
  }
}
