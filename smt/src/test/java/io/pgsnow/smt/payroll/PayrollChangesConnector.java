package io.pgsnow.smt.payroll;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Emits the payroll scenario's change events, in the source connector's shape, once; stands in for
 * the PostgreSQL source in the pipeline IT so the transform chain runs in a real worker.
 */
public class PayrollChangesConnector extends SourceConnector {
  static final String PREFIX = "topic.prefix";
  static final String SCENARIO = "scenario";

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ChangesTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return new ConfigDef()
        .define(PREFIX, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic prefix.")
        .define(SCENARIO, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "full or bonuses.");
  }

  @Override
  public String version() {
    return "test";
  }

  /** Emits the events in one batch, then idles. */
  public static class ChangesTask extends SourceTask {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private List<SourceRecord> pending = Collections.emptyList();

    @Override
    public void start(Map<String, String> props) {
      PayrollScenario full = PayrollScenario.full(props.get(PREFIX));
      pending =
          "bonuses".equals(props.get(SCENARIO))
              ? PayrollScenario.bonusesAfter(full).events()
              : full.events();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
      if (pending.isEmpty()) {
        // Nothing more to send: idle without spinning until the worker stops the task.
        stopped.await(200, TimeUnit.MILLISECONDS);
        return null;
      }
      List<SourceRecord> batch = pending;
      pending = Collections.emptyList();
      return batch;
    }

    @Override
    public void stop() {
      stopped.countDown();
    }

    @Override
    public String version() {
      return "test";
    }
  }
}
