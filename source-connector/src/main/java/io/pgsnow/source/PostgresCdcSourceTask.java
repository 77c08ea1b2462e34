package io.pgsnow.source;

import io.pgsnow.common.Version;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Streams one database's changes; a thin adapter over {@link SourcePipeline}. */
public class PostgresCdcSourceTask extends SourceTask {
  private SourcePipeline pipeline;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    pipeline =
        SourcePipeline.start(new PostgresCdcSourceConfig(props), context.offsetStorageReader());
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
