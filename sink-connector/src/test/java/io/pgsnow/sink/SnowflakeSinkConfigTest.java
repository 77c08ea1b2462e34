package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.testkit.ConfigDocs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SnowflakeSinkConfigTest {
  static final ConfigDocs.Documented DOC =
      new ConfigDocs.Documented(
          "snowflake-sink.md",
          "SnowflakeSinkConnector",
          List.of(SnowflakeSinkConnector.class),
          "Loads Kafka topics into Snowflake tables through Snowpipe, exactly once: records are"
              + " buffered per partition, written as gzipped JSON files named by their offsets to"
              + " the table's internal stage, registered with Snowpipe, and their offsets are"
              + " committed only once the load is confirmed. Key names, object names and the"
              + " table shape (`RECORD_METADATA`, `RECORD_CONTENT`) are the official Snowflake"
              + " connector's.",
          SnowflakeSinkConfig.CONFIG_DEF);

  static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("snowflake.url.name", "acct.snowflakecomputing.com:443");
    props.put("snowflake.user.name", "u");
    props.put("snowflake.private.key", "x");
    props.put("snowflake.database.name", "KAFKA_DB");
    props.put("snowflake.schema.name", "PUBLIC");
    return props;
  }

  @Test
  void officialDefaults() {
    SnowflakeSinkConfig config = new SnowflakeSinkConfig(minimal());
    assertThat(config.sealPolicy().maxRecords()).isEqualTo(10_000);
    assertThat(config.sealPolicy().maxBytes()).isEqualTo(5_000_000);
    assertThat(config.sealPolicy().maxAge()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.nullValues()).isEqualTo(SnowflakeSinkConfig.NullValues.DEFAULT);
    assertThat(config.toleratesBadRecords()).isFalse();
    assertThat(config.role()).isEmpty();
    assertThat(config.url().account()).isEqualTo("ACCT");
  }

  @Test
  void clientTimeoutsDefaultAndOverride() {
    SnowflakeSinkConfig defaults = new SnowflakeSinkConfig(minimal());
    assertThat(defaults.networkTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.loginTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.statementTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.snowpipeRequestTimeout()).isEqualTo(Duration.ofMinutes(2));

    Map<String, String> props = minimal();
    props.put("snowflake.network.timeout.ms", "2500");
    props.put("snowflake.login.timeout.ms", "1500");
    props.put("snowflake.statement.timeout.ms", "2000");
    props.put("snowflake.snowpipe.request.timeout.ms", "3000");
    SnowflakeSinkConfig config = new SnowflakeSinkConfig(props);
    assertThat(config.networkTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.loginTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.snowpipeRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void rejectsTimeoutsTooShortOnTheirKey() {
    for (String key :
        List.of(
            "snowflake.network.timeout.ms",
            "snowflake.login.timeout.ms",
            "snowflake.statement.timeout.ms",
            "snowflake.snowpipe.request.timeout.ms")) {
      Map<String, String> props = minimal();
      props.put(key, "999");
      assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(key);
      props.put(key, "soon");
      assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(key);
    }
  }

  @Test
  void rejectsBadValuesOnTheirKey() {
    Map<String, String> props = minimal();
    props.put("snowflake.topic2table.map", "a:b-c");
    assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("snowflake.topic2table.map");
    props.remove("snowflake.topic2table.map");
    props.put("snowflake.database.name", "bad name");
    assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
        .hasMessageContaining("snowflake.database.name");
    props.put("snowflake.database.name", "DB");
    props.put("snowflake.url.name", "ftp://x");
    assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
        .hasMessageContaining("snowflake.url.name");
    props.put("snowflake.url.name", "acct.snowflakecomputing.com:443");
    assertThat(new SnowflakeSinkConfig(props).maxInFlightFiles()).isEqualTo(4);
    props.put(SnowflakeSinkConfig.MAX_IN_FLIGHT, "0");
    assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
        .hasMessageContaining(SnowflakeSinkConfig.MAX_IN_FLIGHT);
  }

  @Test
  void theRetryKeysSetThePolicyAndAMaximumBelowTheFirstBackoffIsRejectedOnItsKey() {
    RetryPolicy defaults = new SnowflakeSinkConfig(minimal()).retryPolicy();
    assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.maxRetries()).as("snowflake.retry.max.attempts=30").isEqualTo(29);
    Map<String, String> props = minimal();
    props.put("snowflake.retry.backoff.ms", "5000");
    props.put("snowflake.retry.backoff.max.ms", "60000");
    props.put("snowflake.retry.deadline.ms", "120000");
    RetryPolicy set = new SnowflakeSinkConfig(props).retryPolicy();
    assertThat(set.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(set.deadline()).isEqualTo(Duration.ofMinutes(2));
    props.put("snowflake.retry.backoff.max.ms", "100");
    assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("snowflake.retry.backoff.max.ms");
    assertThat(SnowflakeSinkConfig.modelProblems(props))
        .containsEntry(
            "snowflake.retry.backoff.max.ms",
            "Must be at least snowflake.retry.backoff.ms (5000), is 100");
  }

  @Test
  void everyKeyIsDocumentedAndTheDocsAreCurrent() throws Exception {
    ConfigDocs.assertEveryKeyDocumented(DOC);
    ConfigDocs.assertUpToDate(Path.of("docs"), DOC);
  }

  @Test
  void modelsAreOffByDefaultAndADynamicTableNeedsAWarehouse() {
    assertThat(new SnowflakeSinkConfig(minimal()).modelSettings().any()).isFalse();
    Map<String, String> props = minimal();
    props.put(SnowflakeSinkConfig.MODEL_CURRENT_STATE, "dynamic_table");
    assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SnowflakeSinkConfig.MODEL_WAREHOUSE)
        .hasMessageContaining("refreshes on a warehouse");
    assertThat(SnowflakeSinkConfig.modelProblems(props))
        .containsOnlyKeys(SnowflakeSinkConfig.MODEL_WAREHOUSE);
    props.put(SnowflakeSinkConfig.WAREHOUSE, "COMPUTE_WH");
    assertThat(new SnowflakeSinkConfig(props).modelSettings().warehouse())
        .map(Object::toString)
        .contains("COMPUTE_WH");
    props.put(SnowflakeSinkConfig.MODEL_WAREHOUSE, "\"Model Wh\"");
    assertThat(new SnowflakeSinkConfig(props).modelSettings().warehouse())
        .map(Object::toString)
        .contains("\"Model Wh\"");
  }

  @Test
  void targetLagIsASnowflakeDurationOfAtLeastAMinute() {
    Map<String, String> props = minimal();
    for (String ok : List.of("1 minute", "90 seconds", "2 hours", "downstream")) {
      props.put(SnowflakeSinkConfig.MODEL_TARGET_LAG, ok);
      assertThat(new SnowflakeSinkConfig(props).modelSettings().targetLag()).isEqualTo(ok);
    }
    for (String bad : List.of("30 seconds", "soon", "1 fortnight")) {
      props.put(SnowflakeSinkConfig.MODEL_TARGET_LAG, bad);
      assertThatThrownBy(() -> new SnowflakeSinkConfig(props))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(SnowflakeSinkConfig.MODEL_TARGET_LAG);
    }
  }

  @Test
  void theCurrentStateNeedsTheKeyInTheMetadataAndTheUnwrapFields() {
    Map<String, String> props = minimal();
    props.put(SnowflakeSinkConfig.MODEL_CURRENT_STATE, "view");
    props.put(SnowflakeSinkConfig.META_ALL, "false");
    assertThat(SnowflakeSinkConfig.modelProblems(props))
        .containsOnlyKeys(SnowflakeSinkConfig.MODEL_CURRENT_STATE);
    props.remove(SnowflakeSinkConfig.META_ALL);
    props.put("transforms", "unwrap");
    props.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    assertThat(
            SnowflakeSinkConfig.modelProblems(props).get(SnowflakeSinkConfig.MODEL_CURRENT_STATE))
        .contains("add.fields to include op,commit_lsn,event_index");
    props.put("transforms.unwrap.add.fields", "op,commit_lsn,event_index");
    props.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
    assertThat(SnowflakeSinkConfig.modelProblems(props)).isEmpty();
  }
}
