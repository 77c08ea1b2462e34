package io.pgsnow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Creates connectors from the files of {@code config-examples/} through the worker's REST API, as a
 * user would: {@code ${NAME}} placeholders filled in, then {@code PUT /connectors/<name>/config},
 * then waiting until the task runs.
 */
final class ConnectorDeployer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(300);

  private final ConnectWorkerProcess worker;
  private final Path root;
  private final Map<String, String> values;
  private final ExampleSecrets secrets;
  private final PrintStream out;

  ConnectorDeployer(
      ConnectWorkerProcess worker,
      Path root,
      Map<String, String> values,
      ExampleSecrets secrets,
      PrintStream out) {
    this.worker = worker;
    this.root = root;
    this.values = values;
    this.secrets = secrets;
    this.out = out;
  }

  /**
   * Creates the connector of {@code file} and waits until its task runs and, for a source with a
   * {@code slot.name}, until {@code slotActive} says its replication slot is in use.
   */
  void deploy(String file, Predicate<String> slotActive) throws IOException {
    String text = secrets.resolvePath(Files.readString(root.resolve(file), StandardCharsets.UTF_8));
    for (Map.Entry<String, String> v : values.entrySet()) {
      text =
          text.replace(
              "${" + v.getKey() + "}",
              JSON.writeValueAsString(v.getValue()).replaceAll("^\"|\"$", ""));
    }
    JsonNode config = JSON.readTree(text);
    String name = config.get("name").asText();
    worker.put("/connectors/" + name + "/config", JSON.writeValueAsString(config.get("config")));
    String slot = config.get("config").path("slot.name").asText("");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status;
      try {
        status = JSON.readTree(worker.get("/connectors/" + name + "/status"));
      } catch (IllegalStateException e) {
        // 404 until the herder has written the connector's first status
        pause();
        continue;
      }
      String state = status.at("/tasks/0/state").asText();
      // A source connector streams once its replication slot is in use.
      if ("RUNNING".equals(state) && (slot.isEmpty() || slotActive.test(slot))) {
        out.println("  " + name + ": RUNNING");
        return;
      }
      if ("FAILED".equals(state)) {
        throw new IllegalStateException(name + " failed: " + status.at("/tasks/0/trace").asText());
      }
      pause();
    }
    throw new IllegalStateException(
        name + " did not start within " + START_TIMEOUT.toSeconds() + " s");
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
