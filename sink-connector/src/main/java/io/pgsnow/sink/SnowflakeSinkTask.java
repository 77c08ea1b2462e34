package io.pgsnow.sink;

import io.pgsnow.common.Version;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** A thin lifecycle adapter over {@link SinkPipeline}. */
public class SnowflakeSinkTask extends SinkTask {

  private SinkPipeline pipeline;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    SnowflakeSinkConfig config = new SnowflakeSinkConfig(props);
    pipeline = new SinkPipeline(config, props.getOrDefault("name", "pgsnow"), context);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    pipeline.put(records);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    return pipeline.preCommit(currentOffsets);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    pipeline.open(partitions);
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    if (pipeline != null) {
      pipeline.close(partitions);
    }
  }

  @Override
  public void stop() {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }
}
