package io.pgsnow.source.metrics;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MBean of a connector, registered as {@code io.pgsnow.source:type=…,connector=…} in the
 * platform MBean server. A failure to register only costs the metrics, never the task; a previous
 * registration under the same name (a task restarted in the same worker) is replaced.
 */
public final class ConnectorMBean implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorMBean.class);
  private static final String DOMAIN = "io.pgsnow.source";

  private final ObjectName name;

  private ConnectorMBean(ObjectName name) {
    this.name = name;
  }

  /** Registers {@code mbean} as {@code type} of {@code connector}. */
  public static ConnectorMBean register(Object mbean, String type, String connector) {
    return register(mbean, type, connector, 0);
  }

  /**
   * Registers {@code mbean} as {@code type} of task {@code task} of {@code connector}: task 0 under
   * the connector's name alone, another task (of a snapshot spread over tasks) with {@code task=}.
   */
  public static ConnectorMBean register(Object mbean, String type, String connector, int task) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      ObjectName name =
          new ObjectName(
              DOMAIN
                  + ":type="
                  + type
                  + ",connector="
                  + ObjectName.quote(connector)
                  + (task == 0 ? "" : ",task=" + task));
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(mbean, name);
      return new ConnectorMBean(name);
    } catch (JMException e) {
      LOG.debug("Cannot register the {} of {}: {}", type, connector, e.getMessage());
      return new ConnectorMBean(null);
    }
  }

  @Override
  public void close() {
    if (name == null) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (JMException e) {
      LOG.debug("Cannot unregister {}", name, e);
    }
  }
}
