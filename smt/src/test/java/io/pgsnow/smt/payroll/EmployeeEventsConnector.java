package io.pgsnow.smt.payroll;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Each of its tasks emits, once per start, one schemaless event per employee id it owns (id modulo
 * the task count): {@code employee_id}, {@code task} (its index) and {@code start} (which start of
 * a task of this JVM emitted it), so a test can tell tasks and restarts apart.
 */
public class EmployeeEventsConnector extends OneBatchConnector {
  static final String TOPIC = "topic";
  static final String EMPLOYEES = "employees";
  static final String TASK = "task.index";
  static final String TASKS = "task.count";
  private static final AtomicInteger STARTS = new AtomicInteger();

  @Override
  public Class<? extends Task> taskClass() {
    return EventsTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> config = new HashMap<>(props());
      config.put(TASK, Integer.toString(i));
      config.put(TASKS, Integer.toString(maxTasks));
      configs.add(config);
    }
    return configs;
  }

  @Override
  public ConfigDef config() {
    return new ConfigDef()
        .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Output topic.")
        .define(EMPLOYEES, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "Ids 1..n to emit.");
  }

  /** Emits its events in one batch, then idles. */
  public static class EventsTask extends OneBatchTask {
    @Override
    protected List<SourceRecord> batch(Map<String, String> props) {
      int task = Integer.parseInt(props.get(TASK));
      int tasks = Integer.parseInt(props.get(TASKS));
      int start = STARTS.incrementAndGet();
      List<SourceRecord> events = new ArrayList<>();
      for (int id = 1; id <= Integer.parseInt(props.get(EMPLOYEES)); id++) {
        if (id % tasks == task) {
          Map<String, Object> value = Map.of("employee_id", id, "task", task, "start", start);
          events.add(
              new SourceRecord(
                  Map.of("task", task), Map.of("id", id), props.get(TOPIC), null, value));
        }
      }
      return events;
    }
  }
}
