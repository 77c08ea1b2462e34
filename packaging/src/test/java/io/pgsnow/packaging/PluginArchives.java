package io.pgsnow.packaging;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The plugin archives built by this module, and their unzipped form for a worker's plugin.path. */
final class PluginArchives {
  static final String VERSION = System.getProperty("pgsnow.version");
  static final Path ZIPS = Path.of(System.getProperty("pgsnow.zips", "target/zips"));
  static final List<String> NAMES =
      List.of("pgsnow-postgres-source", "pgsnow-snowflake-sink", "pgsnow-transforms");

  /**
   * The jars of Kafka 4.3.1 (broker and Connect) copied from Maven Central by {@code runtimes/}.
   */
  static final Path KAFKA_RUNTIME = Path.of("runtimes", "kafka-4.3.1", "target", "lib");

  private static Path unzipped;

  private PluginArchives() {}

  static Path zip(String name) {
    return ZIPS.resolve(name + "-" + VERSION + ".zip");
  }

  /** A directory holding each archive unzipped, as a user installs them into plugin.path. */
  static synchronized Path pluginPath() {
    if (unzipped == null) {
      Path dir = Path.of("target", "plugin-path");
      for (String name : NAMES) {
        unzip(zip(name), dir);
      }
      unzipped = dir;
    }
    return unzipped;
  }

  /**
   * A Connect worker process (Kafka 4.3.1 from {@code runtimes/}) loading the archives as the
   * examples expect: service_load discovery, exactly-once source support, the FileConfigProvider
   * the examples' secrets go through, and the tasks of a worker that left handed to the others
   * after 5 s, not 5 minutes.
   */
  static ConnectWorkerProcess.Builder exactlyOnceWorker(String bootstrapServers, String group) {
    return ConnectWorkerProcess.builder(KAFKA_RUNTIME)
        .bootstrapServers(bootstrapServers)
        .pluginPath(pluginPath().toAbsolutePath())
        .property("plugin.discovery", "service_load")
        .property("group.id", group)
        .property("exactly.once.source.support", "enabled")
        .property("config.providers", "file")
        .property(
            "config.providers.file.class",
            ExampleSecrets.WORKER_PROPERTIES.get("config.providers.file.class"))
        .property("scheduled.rebalance.max.delay.ms", "5000");
  }

  /**
   * The cluster loading the built archives that the packaging ITs share in their JVM (started once;
   * closing it deletes the connectors): connector names and topics stay unique across them.
   */
  static ConnectCluster sharedCluster() {
    return cluster("packaging").startShared();
  }

  /**
   * A Connect cluster whose workers load the plugins from their archives, as users install them.
   */
  private static ConnectCluster.Builder cluster(String name) {
    return ConnectCluster.builder()
        .name(name)
        .pluginPath(pluginPath())
        .workerProperty("plugin.discovery", "service_load");
  }

  static void unzip(Path zip, Path target) {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("Entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unzip " + zip, e);
    }
  }

  /**
   * The source connector reading {@code db} of the shared test server, with unwrapped rows as JSON
   * values; topics {@code <name>.public.<table>}, slot {@code <name>_slot}.
   */
  static Map<String, String> sourceConfig(LocalPostgres pg, String db, String name) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.pgsnow.source.PostgresCdcSourceConnector");
    config.putAll(pg.sourceSettings(db, name));
    config.put("transforms", "unwrap");
    config.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
