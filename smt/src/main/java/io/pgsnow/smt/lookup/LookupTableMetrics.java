package io.pgsnow.smt.lookup;

import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX view of one table, registered in the platform MBean server while the table is open. The
 * {@code id} tells apart tables of one topic with different settings, or held by different plugin
 * installations of the worker; the first table of a topic is {@code id=1}. A failure to register
 * only costs the metrics, never the join.
 */
final class LookupTableMetrics implements LookupTableMetricsMBean, AutoCloseable {
  static final String DOMAIN = "io.pgsnow.smt";
  private static final Logger LOG = LoggerFactory.getLogger(LookupTableMetrics.class);
  private static final int MAX_IDS = 1_000;

  private final Supplier<TopicTable> table;
  private final IntSupplier users;
  private ObjectName name;

  private LookupTableMetrics(Supplier<TopicTable> table, IntSupplier users) {
    this.table = table;
    this.users = users;
  }

  /** Registers the view of the table {@code table} gives now (a rebuilt table replaces it). */
  static LookupTableMetrics register(Supplier<TopicTable> tableNow, IntSupplier users) {
    LookupTableMetrics metrics = new LookupTableMetrics(tableNow, users);
    String topic = tableNow.get().topic();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (int id = 1; id <= MAX_IDS && metrics.name == null; id++) {
      try {
        ObjectName name = objectName(topic, id);
        server.registerMBean(metrics, name);
        metrics.name = name;
      } catch (InstanceAlreadyExistsException e) {
        // Another table of the topic holds this id: try the next.
      } catch (JMException e) {
        LOG.debug("Cannot register the metrics of lookup table {}: {}", topic, e.getMessage());
        break;
      }
    }
    return metrics;
  }

  static ObjectName objectName(String topic, int id) throws JMException {
    return new ObjectName(
        DOMAIN + ":type=lookup-table,topic=" + ObjectName.quote(topic) + ",id=" + id);
  }

  @Override
  public String getTopic() {
    return table.get().topic();
  }

  @Override
  public String getStatus() {
    return table.get().status().name();
  }

  @Override
  public boolean isReady() {
    // One read: the table may be swapped for a rebuilt one between two.
    TopicTable current = table.get();
    return current.isLoaded() && !current.isFailed();
  }

  @Override
  public long getRows() {
    return table.get().rows();
  }

  @Override
  public long getEstimatedBytes() {
    return table.get().estimatedBytes();
  }

  @Override
  public long getMaxRows() {
    return table.get().maxRows();
  }

  @Override
  public long getMaxBytes() {
    return table.get().maxBytes();
  }

  @Override
  public long getRecordsRead() {
    return table.get().recordsRead();
  }

  @Override
  public long getLag() {
    return table.get().lag();
  }

  @Override
  public int getUsers() {
    return users.getAsInt();
  }

  @Override
  public String getFailure() {
    return table.get().failure().map(Throwable::getMessage).orElse("");
  }

  /** Unregisters the view; the table's numbers are no longer reported once it closed. */
  @Override
  public void close() {
    ObjectName registered = name;
    name = null;
    if (registered != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
      } catch (InstanceNotFoundException | MBeanRegistrationException e) {
        LOG.debug(
            "Lookup table {} was no longer registered as {}", table.get().topic(), registered, e);
      }
    }
  }
}
