package io.pgsnow.source.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainLookupTopicsTest {
  @Test
  void findsTheTopicOfEachTopicLookupJoinInTheChain() {
    Map<String, String> props = new HashMap<>();
    props.put("transforms", "unwrap, join ,joinKey,fullname");
    props.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    props.put("transforms.unwrap.topic.name", "not.a.lookup");
    props.put("transforms.join.type", "io.pgsnow.smt.LookupJoin$Value");
    props.put("transforms.join.lookup.source", "topic");
    props.put("transforms.join.topic.name", "cdc.public.payroll");
    props.put("transforms.joinKey.type", "io.pgsnow.smt.LookupJoin$Key");
    props.put("transforms.joinKey.lookup.source", "TOPIC");
    props.put("transforms.joinKey.topic.name", " cdc.public.customers ");
    props.put("transforms.fullname.type", "io.pgsnow.smt.ConcatFields$Value");

    assertThat(ChainLookupTopics.of(props))
        .containsExactly("cdc.public.payroll", "cdc.public.customers");
  }

  @Test
  void jdbcLookupsAndTransformsNotInTheChainAreLeftOut() {
    Map<String, String> props = new HashMap<>();
    props.put("transforms", "jdbcJoin");
    props.put("transforms.jdbcJoin.type", "io.pgsnow.smt.LookupJoin$Value");
    props.put("transforms.jdbcJoin.lookup.source", "jdbc");
    props.put("transforms.jdbcJoin.topic.name", "cdc.public.payroll");
    props.put("transforms.unused.type", "io.pgsnow.smt.LookupJoin$Value");
    props.put("transforms.unused.lookup.source", "topic");
    props.put("transforms.unused.topic.name", "cdc.public.customers");

    assertThat(ChainLookupTopics.of(props)).isEmpty();
  }

  @Test
  void aConnectorWithoutTransformsHasNoLookupTopics() {
    assertThat(ChainLookupTopics.of(Map.of("topic.prefix", "cdc"))).isEmpty();
  }
}
