package io.pgsnow.source.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.source.naming.TopicNamer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainLookupTopicsTest {
  private static final String JOIN = "io.pgsnow.smt.LookupJoin$Value";

  @Test
  void findsTheTopicOfEachTopicLookupJoinInTheChain() {
    Map<String, String> props =
        Map.of(
            "transforms", "unwrap, join ,joinKey,fullname",
            "transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value",
            "transforms.unwrap.topic.name", "not.a.lookup",
            "transforms.join.type", JOIN,
            "transforms.join.lookup.source", "topic",
            "transforms.join.topic.name", "cdc.public.payroll",
            "transforms.joinKey.type", "io.pgsnow.smt.LookupJoin$Key",
            "transforms.joinKey.lookup.source", "TOPIC",
            "transforms.joinKey.topic.name", " cdc.public.customers ");

    assertThat(ChainLookupTopics.of(props))
        .containsExactly("cdc.public.payroll", "cdc.public.customers");
  }

  @Test
  void jdbcLookupsAndTransformsNotInTheChainAreLeftOut() {
    Map<String, String> props =
        Map.of(
            "transforms", "jdbcJoin",
            "transforms.jdbcJoin.type", JOIN,
            "transforms.jdbcJoin.lookup.source", "jdbc",
            "transforms.jdbcJoin.topic.name", "cdc.public.payroll",
            "transforms.unused.type", JOIN,
            "transforms.unused.lookup.source", "topic",
            "transforms.unused.topic.name", "cdc.public.customers");

    assertThat(ChainLookupTopics.of(props)).isEmpty();
  }

  /** The shipped pipelines must get their lookup table snapshotted first with no setting. */
  @Test
  void theExamplePipelinesLookUpATableTheirSourceCaptures() throws Exception {
    Map<String, String> lookups =
        Map.of(
            "pipelines/payroll/payroll-source-join.json", "payroll",
            "pipelines/ratings/ratings-source-join.json", "customers");
    for (Map.Entry<String, String> example : lookups.entrySet()) {
      Map<String, String> config =
          new ObjectMapper()
              .convertValue(
                  new ObjectMapper()
                      .readTree(Path.of("..", "config-examples", example.getKey()).toFile())
                      .get("config"),
                  new TypeReference<Map<String, String>>() {});
      String topic =
          new TopicNamer(config.get("topic.prefix"), SchemaNameAdjustment.NONE)
              .name("public", example.getValue())
              .topic();

      assertThat(ChainLookupTopics.of(config)).as(example.getKey()).containsExactly(topic);
      assertThat(config.get("table.include.list")).contains("public\\." + example.getValue());
    }
  }

  @Test
  void aConnectorWithoutTransformsHasNoLookupTopics() {
    assertThat(ChainLookupTopics.of(Map.of("topic.prefix", "cdc"))).isEmpty();
  }
}
