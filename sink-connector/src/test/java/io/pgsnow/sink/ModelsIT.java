package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink keeps the models of a schematized table of unwrapped rows: created with the first
 * records, replaced when a field appears, current by source position; records without a source
 * position fail the task saying what to configure instead of getting a wrong model.
 */
class ModelsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-models");

  /** An unwrapped row as UnwrapChangeEvent writes it with add.fields and the rewrite mode. */
  private static String row(long id, String name, String coupon, String op, long lsn) {
    List<String> fields = new ArrayList<>();
    fields.add("{\"field\":\"id\",\"type\":\"int64\"}");
    fields.add("{\"field\":\"name\",\"type\":\"string\",\"optional\":true}");
    if (coupon != null) {
      fields.add("{\"field\":\"coupon\",\"type\":\"string\",\"optional\":true}");
    }
    fields.add("{\"field\":\"__op\",\"type\":\"string\",\"optional\":true}");
    fields.add("{\"field\":\"__commit_lsn\",\"type\":\"int64\",\"optional\":true}");
    fields.add("{\"field\":\"__event_index\",\"type\":\"int64\",\"optional\":true}");
    fields.add("{\"field\":\"__deleted\",\"type\":\"string\",\"optional\":true}");
    String payload =
        "{\"id\":"
            + id
            + ",\"name\":"
            + (name == null ? "null" : "\"" + name + "\"")
            + (coupon == null ? "" : ",\"coupon\":\"" + coupon + "\"")
            + ",\"__op\":\""
            + op
            + "\",\"__commit_lsn\":"
            + lsn
            + ",\"__event_index\":0,\"__deleted\":\""
            + op.equals("d")
            + "\"}";
    return "{\"schema\":{\"type\":\"struct\",\"fields\":["
        + String.join(",", fields)
        + "]},\"payload\":"
        + payload
        + "}";
  }

  private static void produce(String topic, long id, String value) {
    ENV.connect.kafka().produce(topic, 0, "{\"id\":" + id + "}", value);
  }

  @Test
  void modelsFollowTheRowsAndGainTheirNewFields() throws Exception {
    ENV.connect.kafka().createTopic("customers", 1);
    // Kafka order is not source order: the update of 1 at LSN 30 arrives before its insert.
    produce("customers", 1, row(1, "one again", null, "u", 30));
    produce("customers", 1, row(1, "one", null, "c", 10));
    produce("customers", 2, row(2, "two", null, "c", 20));
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "customers", true);
    config.put("snowflake.enable.schematization", "true");
    config.put("snowflake.model.views", "true");
    config.put("snowflake.model.current_state", "view");
    ENV.connect.createConnector("models_sink", config);
    ENV.connect.awaitRunning("models_sink", 1, TIMEOUT);
    await("the current state")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM CUSTOMERS_CURRENT") == 2);
    assertThat(rows(ENV.emulator, "SELECT * FROM CUSTOMERS_CURRENT ORDER BY ID"))
        .containsExactly(List.of("1", "one again"), List.of("2", "two"));
    assertThat(
            rows(
                ENV.emulator,
                "SELECT ID, NAME, _OPERATION FROM CUSTOMERS_VIEW ORDER BY _COMMIT_LSN"))
        .containsExactly(
            List.of("1", "one", "c"), List.of("2", "two", "c"), List.of("1", "one again", "u"));

    produce("customers", 3, row(3, "three", "SAVE10", "c", 40));
    produce("customers", 2, row(2, null, null, "d", 50));
    await("the new column")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                count(ENV.emulator, "SELECT COUNT(*) FROM CUSTOMERS_VIEW WHERE _COMMIT_LSN = 50")
                    == 1);
    assertThat(rows(ENV.emulator, "SELECT * FROM CUSTOMERS_CURRENT ORDER BY ID"))
        .containsExactly(Arrays.asList("1", "one again", null), List.of("3", "three", "SAVE10"));
    assertThat(rows(ENV.emulator, "SELECT COUPON FROM CUSTOMERS_VIEW WHERE ID = 3"))
        .containsExactly(List.of("SAVE10"));
  }

  @Test
  void recordsWithoutASourcePositionFailTheTaskNamingWhatToAdd() {
    ENV.connect.kafka().createTopic("plain_rows", 1);
    produce(
        "plain_rows",
        1,
        "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"}]},\"payload\":{\"id\":1}}");
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "plain_rows", true);
    config.put("snowflake.model.current_state", "view");
    ENV.connect.createConnector("positionless_sink", config);
    await("the task failing")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> !ENV.connect.failedTaskTrace("positionless_sink").isEmpty());
    assertThat(ENV.connect.failedTaskTrace("positionless_sink"))
        .contains("add.fields=op,commit_lsn,event_index")
        .contains("delete.tombstone.handling.mode=rewrite");
  }
}
