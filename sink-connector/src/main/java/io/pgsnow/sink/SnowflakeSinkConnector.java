package io.pgsnow.sink;

import io.pgsnow.common.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Loads Kafka topics into Snowflake tables through Snowpipe, exactly once. A drop-in for the
 * official Snowflake connector in Snowpipe mode: same config names, objects and table shape.
 */
public class SnowflakeSinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new SnowflakeSinkConfig(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return SnowflakeSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(new HashMap<>(props));
    }
    return configs;
  }

  @Override
  public void stop() {
    // tasks own all resources
  }

  @Override
  public ConfigDef config() {
    return SnowflakeSinkConfig.CONFIG_DEF;
  }

  /** Per-key checks first; when they pass, logs in and checks the objects and privileges. */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, ConfigValue> values = new HashMap<>();
    config.configValues().forEach(v -> values.put(v.name(), v));
    boolean keysValid = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
    if (keysValid) {
      Map<String, String> problems = SnowflakeSinkConfig.modelProblems(connectorConfigs);
      problems.forEach((key, message) -> values.get(key).addErrorMessage(message));
      if (!problems.isEmpty()) {
        return config;
      }
      try {
        ConnectionCheck.check(new SnowflakeSinkConfig(connectorConfigs))
            .forEach((key, message) -> values.get(key).addErrorMessage(message));
      } catch (org.apache.kafka.common.config.ConfigException e) {
        values.get(SnowflakeSinkConfig.TOPIC2TABLE).addErrorMessage(e.getMessage());
      }
    }
    return config;
  }
}
