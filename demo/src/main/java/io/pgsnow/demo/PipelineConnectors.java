package io.pgsnow.demo;

import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Creates the seed pipeline's connectors from the files in {@code config-examples/} through the
 * worker's REST API: the source with the join, then, when the worker has the Snowflake sink plugin,
 * the seed's sink and the sink that keeps the current-state models.
 */
final class PipelineConnectors {
  static final String SOURCE_CONFIG = "config-examples/pipelines/payroll/payroll-source-join.json";
  static final String SINK_CONFIG = "config-examples/pipelines/payroll/payroll-sink.json";
  static final String MODELS_CONFIG = "config-examples/pipelines/payroll/payroll-models-sink.json";

  private final DemoProcesses processes;
  private final DemoOptions options;
  private final String database;
  private final Progress progress;

  PipelineConnectors(
      DemoProcesses processes, DemoOptions options, String database, Progress progress) {
    this.processes = processes;
    this.options = options;
    this.database = database;
    this.progress = progress;
  }

  /** Whether the worker lists the Snowflake sink among its plugins. */
  boolean sinkPluginInstalled() {
    return processes.worker().get("/connector-plugins").contains("SnowflakeSinkConnector");
  }

  /**
   * Creates the connectors and waits until each runs.
   *
   * @return whether the sinks were created (rows land in the warehouse, not only in Kafka)
   */
  boolean create(boolean sinkInstalled) throws IOException {
    LocalPostgres pg = processes.postgres();
    Warehouse warehouse = processes.warehouse();
    Map<String, String> values =
        Map.of(
            "PG_HOST", pg.host(),
            "PG_PORT", Integer.toString(pg.port()),
            "PG_USER", LocalPostgres.SUPERUSER,
            "PG_DATABASE", database,
            "KAFKA_BOOTSTRAP", processes.broker().bootstrapServers(),
            "SNOWFLAKE_URL", warehouse.accountUrl(),
            "SNOWFLAKE_USER", warehouse.user());
    ConnectorDeployer deployer =
        new ConnectorDeployer(
            processes.worker(), options.root(), values, processes.secrets(), progress.out());
    progress.step(
        "Creating the source connector from "
            + SOURCE_CONFIG
            + " (REST API; exactly.once.support=required)");
    deployer.deploy(SOURCE_CONFIG, slot -> pg.slotActive(database, slot));
    if (sinkInstalled && Files.exists(options.root().resolve(SINK_CONFIG))) {
      progress.step(
          "Creating the Snowflake sink connector from "
              + SINK_CONFIG
              + " (REST API; reads committed records only, loads each offset once)");
      deployer.deploy(SINK_CONFIG, slot -> true);
      progress.step(
          "Creating the sink that keeps PAYROLL and its models PAYROLL_VIEW and PAYROLL_CURRENT"
              + " (a dynamic table) from "
              + MODELS_CONFIG);
      deployer.deploy(MODELS_CONFIG, slot -> true);
      return true;
    }
    progress.step("No Snowflake sink plugin in the archives: rows are shown from the Kafka topic");
    return false;
  }
}
