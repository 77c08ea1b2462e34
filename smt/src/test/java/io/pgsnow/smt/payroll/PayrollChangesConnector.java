package io.pgsnow.smt.payroll;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Emits the payroll scenario's change events, in the source connector's shape, once; stands in for
 * the PostgreSQL source in the pipeline IT so the transform chain runs in a real worker.
 */
public class PayrollChangesConnector extends OneBatchConnector {
  static final String PREFIX = "topic.prefix";
  static final String SCENARIO = "scenario";

  @Override
  public Class<? extends Task> taskClass() {
    return ChangesTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props());
  }

  @Override
  public ConfigDef config() {
    return new ConfigDef()
        .define(PREFIX, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic prefix.")
        .define(SCENARIO, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "full or bonuses.");
  }

  /** Emits the scenario's events in one batch, then idles. */
  public static class ChangesTask extends OneBatchTask {
    @Override
    protected List<SourceRecord> batch(Map<String, String> props) {
      PayrollScenario full = PayrollScenario.full(props.get(PREFIX));
      return "bonuses".equals(props.get(SCENARIO))
          ? PayrollScenario.bonusesAfter(full).events()
          : full.events();
    }
  }
}
