package io.pgsnow.source;

import io.pgsnow.common.Version;
import io.pgsnow.source.snapshot.SharedSnapshot;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Streams one database's changes, a thin adapter over {@link SourcePipeline}; or, while the initial
 * snapshot is spread over tasks, reads this task's chunks of it ({@link ChunkTaskPipeline}).
 */
public class PostgresCdcSourceTask extends SourceTask {
  private TaskPipeline pipeline;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    PostgresCdcSourceConfig config = new PostgresCdcSourceConfig(props);
    SharedSnapshot.Assignment shared = SharedSnapshot.Assignment.of(props).orElse(null);
    pipeline =
        shared != null && shared.task() > 0
            ? ChunkTaskPipeline.start(config, context.offsetStorageReader(), shared)
            : SourcePipeline.start(config, context.offsetStorageReader(), shared);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    return pipeline.poll();
  }

  /** Kafka Connect committed the offsets of the records polled so far. */
  @Override
  public void commit() {
    if (pipeline != null) {
      pipeline.offsetsCommitted();
    }
  }

  @Override
  public void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }
}
