package io.pgsnow.smt.payroll;

import java.util.Map;
import org.apache.kafka.connect.source.SourceConnector;

/** A test source connector whose tasks ({@link OneBatchTask}) emit one batch per start. */
public abstract class OneBatchConnector extends SourceConnector {
  private Map<String, String> props;

  /** The connector's config, as the tasks' configs start from. */
  protected Map<String, String> props() {
    return props;
  }

  @Override
  public void start(Map<String, String> props) {
    this.props = props;
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return "test";
  }
}
