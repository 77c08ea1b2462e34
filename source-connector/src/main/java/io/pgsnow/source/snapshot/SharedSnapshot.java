package io.pgsnow.source.snapshot;

import io.pgsnow.source.offsets.SourcePosition;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * An initial snapshot spread over {@code tasks.max} tasks. The connector creates the slot with an
 * exported snapshot, plans the chunks and hands each task the snapshot's name, its consistent point
 * and the plan in its task config (the config topic is the durable hand-over Kafka Connect offers
 * from a connector to its tasks). Every task imports the snapshot and reads the chunks it owns,
 * with its own converter and producer; task 0 streams once every chunk's records are in Kafka.
 *
 * <p>Chunks are owned statically: the {@code g}-th chunk of the plan (tables in plan order, then
 * chunks) belongs to task {@code g % tasks}. Claiming chunks at run time would need a store every
 * task can write and read back in order, which Kafka Connect does not give tasks; a static split
 * needs none, is written down in the configs, and balances because chunks are of even block counts.
 *
 * <p>Each task keeps its progress in the offsets of its own source partition: the plan with the
 * chunks it does not own marked done, the export's name and the task count. A chunk is done when
 * its owner's committed offsets say so; task 0 reads all of them through its offset reader before
 * it streams, and after a restart that cannot import the snapshot any more it reads the chunks not
 * done between watermarks, as an interrupted single-task snapshot does.
 */
public final class SharedSnapshot {
  static final String EXPORT_KEY = "snapshot_export";
  static final String TASKS_KEY = "snapshot_tasks";
  private static final String TASK_PARTITION_KEY = "snapshot_task";
  private static final String CONFIG_PREFIX = "pgsnow.snapshot.";
  static final String CONFIG_EXPORT = CONFIG_PREFIX + "export";
  static final String CONFIG_LSN = CONFIG_PREFIX + "consistent.lsn";
  static final String CONFIG_PLAN = CONFIG_PREFIX + "plan";
  static final String CONFIG_TASK = CONFIG_PREFIX + "task";
  static final String CONFIG_TASKS = CONFIG_PREFIX + "tasks";

  private SharedSnapshot() {}

  /** Whether {@code key} is one the connector sets in its task configs only. */
  public static boolean isTaskConfigKey(String key) {
    return key.startsWith(CONFIG_PREFIX);
  }

  /** What one task of a shared snapshot reads: the export, the plan and the task's place. */
  public record Assignment(String export, long consistentLsn, String plan, int task, int tasks) {
    /** The assignment a task config holds, if any. */
    public static Optional<Assignment> of(Map<String, String> taskConfig) {
      String export = taskConfig.get(CONFIG_EXPORT);
      if (export == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Assignment(
              export,
              Long.parseLong(taskConfig.get(CONFIG_LSN)),
              taskConfig.get(CONFIG_PLAN),
              Integer.parseInt(taskConfig.get(CONFIG_TASK)),
              Integer.parseInt(taskConfig.get(CONFIG_TASKS))));
    }

    /** {@code base} with this assignment added. */
    public Map<String, String> into(Map<String, String> base) {
      Map<String, String> config = new HashMap<>(base);
      config.put(CONFIG_EXPORT, export);
      config.put(CONFIG_LSN, Long.toString(consistentLsn));
      config.put(CONFIG_PLAN, plan);
      config.put(CONFIG_TASK, Integer.toString(task));
      config.put(CONFIG_TASKS, Integer.toString(tasks));
      return config;
    }

    /** The whole plan, nothing done. */
    SnapshotProgress planned() {
      return SnapshotProgress.decode(plan);
    }

    /** The offset keys this task's snapshot records carry besides the progress. */
    Map<String, Object> offsetKeys() {
      return Map.of(EXPORT_KEY, export, TASKS_KEY, tasks);
    }

    /** This task's progress: from its offsets when they belong to this export, else none done. */
    public SnapshotProgress progress(Map<String, ?> offset) {
      if (offset != null && export.equals(offset.get(EXPORT_KEY))) {
        Optional<SnapshotProgress> stored = SnapshotProgress.fromOffset(offset);
        if (stored.isPresent()) {
          return stored.get();
        }
      }
      return owned(planned(), task, tasks);
    }
  }

  /** The source partition of task {@code task}'s snapshot records; task 0 uses the stream's. */
  public static Map<String, Object> partition(String topicPrefix, int task) {
    if (task == 0) {
      return SourcePosition.partition(topicPrefix);
    }
    return Map.of(SourcePosition.PARTITION_KEY, topicPrefix, TASK_PARTITION_KEY, task);
  }

  /** {@code plan}'s chunks as task {@code task} reads them: only those of other tasks are done. */
  static SnapshotProgress owned(SnapshotProgress plan, int task, int tasks) {
    SnapshotProgress owned = new SnapshotProgress();
    int g = 0;
    for (SnapshotProgress.TablePlan p : plan.plans()) {
      BitSet done = new BitSet();
      for (int chunk = 0; chunk < p.chunks(); chunk++, g++) {
        if (g % tasks != task) {
          done.set(chunk);
        }
      }
      owned.addPlan(
          new SnapshotProgress.TablePlan(p.schema(), p.table(), p.step(), p.chunks(), done));
    }
    return owned;
  }

  /**
   * The whole snapshot's progress as the committed offsets of all tasks show it, when {@code
   * offset} (task 0's) belongs to a shared snapshot: a chunk is done when its owner's offsets say
   * so. A task without offsets of that export has done nothing.
   */
  public static Optional<SnapshotProgress> merged(
      Map<String, ?> offset, OffsetStorageReader reader, String topicPrefix) {
    if (offset == null
        || !(offset.get(EXPORT_KEY) instanceof String export)
        || !(offset.get(TASKS_KEY) instanceof Number count)) {
      return Optional.empty();
    }
    Optional<SnapshotProgress> own = SnapshotProgress.fromOffset(offset);
    if (own.isEmpty()) {
      return Optional.empty();
    }
    int tasks = count.intValue();
    Assignment any = new Assignment(export, 0L, own.get().encode(), 0, tasks);
    return Optional.of(merged(any, own.get(), reader, topicPrefix));
  }

  /** The whole snapshot's progress: task 0's {@code own}, the others' from their offsets. */
  public static SnapshotProgress merged(
      Assignment assignment, SnapshotProgress own, OffsetStorageReader reader, String topicPrefix) {
    int tasks = assignment.tasks();
    List<Map<String, Object>> partitions =
        java.util.stream.IntStream.range(1, tasks)
            .mapToObj(i -> partition(topicPrefix, i))
            .toList();
    Map<Map<String, Object>, Map<String, Object>> offsets = reader.offsets(partitions);
    SnapshotProgress[] byTask = new SnapshotProgress[tasks];
    byTask[0] = own;
    for (int i = 1; i < tasks; i++) {
      Assignment theirs = new Assignment(assignment.export(), 0L, assignment.plan(), i, tasks);
      byTask[i] = theirs.progress(offsets.get(partitions.get(i - 1)));
    }
    SnapshotProgress merged = new SnapshotProgress();
    List<List<SnapshotProgress.TablePlan>> plans =
        java.util.Arrays.stream(byTask).map(SnapshotProgress::plans).toList();
    int g = 0;
    List<SnapshotProgress.TablePlan> first = plans.get(0);
    for (int t = 0; t < first.size(); t++) {
      SnapshotProgress.TablePlan p = first.get(t);
      BitSet done = new BitSet();
      for (int chunk = 0; chunk < p.chunks(); chunk++, g++) {
        if (plans.get(g % tasks).get(t).isDone(chunk)) {
          done.set(chunk);
        }
      }
      merged.addPlan(
          new SnapshotProgress.TablePlan(p.schema(), p.table(), p.step(), p.chunks(), done));
    }
    return merged;
  }
}
