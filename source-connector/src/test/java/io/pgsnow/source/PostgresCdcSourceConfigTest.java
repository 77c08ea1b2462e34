package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.source.config.Operation;
import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.config.SchemaNameAdjustment;
import io.pgsnow.source.config.TableFilter;
import io.pgsnow.testkit.ConfigDocs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PostgresCdcSourceConfigTest {
  static final ConfigDocs.Documented DOC =
      new ConfigDocs.Documented(
          "postgres-cdc-source.md",
          "PostgresCdcSourceConnector",
          List.of(PostgresCdcSourceConnector.class),
          "Streams the changes of one PostgreSQL database to Kafka through the built-in pgoutput"
              + " logical decoding plugin, as Debezium-compatible change events, one topic per"
              + " table (`<topic.prefix>.<schema>.<table>`). Key names follow Debezium's"
              + " PostgreSQL connector and Confluent Cloud's Postgres CDC Source V2.",
          PostgresCdcSourceConfig.CONFIG_DEF);

  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("database.hostname", "localhost");
    props.put("database.user", "u");
    props.put("database.dbname", "d");
    props.put("topic.prefix", "pg");
    return props;
  }

  @Test
  void hasDebeziumCompatibleDefaults() {
    PostgresCdcSourceConfig config = new PostgresCdcSourceConfig(minimal());
    assertThat(config.port()).isEqualTo(5432);
    assertThat(config.slotName()).isEqualTo("pgsnow");
    assertThat(config.skippedOperations()).containsExactly(Operation.TRUNCATE);
    assertThat(config.tombstonesOnDelete()).isTrue();
    assertThat(config.publicationAutocreate()).isEqualTo(PublicationAutocreate.ALL_TABLES);
    assertThat(config.password()).isEmpty();
  }

  @Test
  void debeziumKeysNotImplementedAreRefusedOnTheirKey() {
    Map<String, String> props = minimal();
    props.put("snapshot.locking.mode", "shared");
    props.put("heartbeat.interval.ms", "0");
    props.put("column.mask.with.10.chars", "public.t.c");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pgsnow does not implement Debezium's");
    Map<String, List<String>> errors = validationErrors(props);
    assertThat(errors.get("snapshot.locking.mode"))
        .singleElement()
        .asString()
        .contains("snapshot.locking.mode");
    assertThat(errors.get("column.mask.with.10.chars")).hasSize(1);
    assertThat(errors.get("heartbeat.interval.ms")).isNullOrEmpty();

    props.remove("column.mask.with.10.chars");
    props.remove("snapshot.locking.mode");
    props.put("snapshot.mode", "no_data");
    assertThat(new PostgresCdcSourceConfig(props).topicPrefix()).isEqualTo("pg");
  }

  @Test
  void typeOptionsHaveDebeziumsDefaultsAndRefuseOtherValues() {
    PostgresCdcSourceConfig config = new PostgresCdcSourceConfig(minimal());
    assertThat(config.typeOptions()).isEqualTo(io.pgsnow.source.config.TypeOptions.DEFAULTS);
    Map<String, String> props = minimal();
    props.put("time.precision.mode", "nanos");
    org.apache.kafka.common.config.Config result = new PostgresCdcSourceConnector().validate(props);
    assertThat(
            result.configValues().stream()
                .filter(v -> v.name().equals("time.precision.mode"))
                .findFirst()
                .orElseThrow()
                .errorMessages())
        .hasSize(1);
  }

  @Test
  void acceptsDatabaseServerNameAsTheTopicPrefix() {
    Map<String, String> props = minimal();
    props.remove("topic.prefix");
    props.put("database.server.name", "legacy");
    assertThat(new PostgresCdcSourceConfig(props).topicPrefix()).isEqualTo("legacy");
    props.remove("database.server.name");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topic.prefix");
  }

  @Test
  void filtersTablesWithWholeNameRegexes() {
    Map<String, String> props = minimal();
    props.put("table.include.list", "public\\.pay.*,sales\\.orders");
    props.put("table.exclude.list", "public\\.payroll_audit");
    TableFilter filter = new PostgresCdcSourceConfig(props).tableFilter();
    assertThat(filter.includes("public", "payroll")).isTrue();
    assertThat(filter.includes("public", "payroll_audit")).isFalse();
    assertThat(filter.includes("sales", "orders")).isTrue();
    assertThat(filter.includes("sales", "orders_old")).isFalse();
    assertThat(filter.includes("other", "payroll")).isFalse();
  }

  @Test
  void rejectsBadValuesOnTheirKey() {
    Map<String, String> props = minimal();
    props.put("table.include.list", "public.(x");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("table.include.list");
    props.remove("table.include.list");
    props.put("slot.name", "Bad-Name");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props)).hasMessageContaining("slot.name");
    props.remove("slot.name");
    props.put("skipped.operations", "c,x");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .hasMessageContaining("skipped.operations");
  }

  @Test
  void theRecordSizeLimitFollowsTheProducerOverrideUnlessSet() {
    Map<String, String> props = minimal();
    assertThat(new PostgresCdcSourceConfig(props).recordSizeLimit())
        .isEqualTo(
            new PostgresCdcSourceConfig.RecordSizeLimitSetting(
                1_048_576, "the producer's default max.request.size"));
    props.put("producer.override.max.request.size", "8388608");
    assertThat(new PostgresCdcSourceConfig(props).recordSizeLimit())
        .isEqualTo(
            new PostgresCdcSourceConfig.RecordSizeLimitSetting(
                8_388_608, "producer.override.max.request.size"));
    props.put("record.size.max.bytes", "0");
    assertThat(new PostgresCdcSourceConfig(props).recordSizeLimit().bytes()).isZero();
    props.put("record.size.max.bytes", "-1");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .hasMessageContaining("record.size.max.bytes");
  }

  @Test
  void theTopicPrefixHoldsOnlyTopicCharacters() {
    Map<String, String> props = minimal();
    props.put("topic.prefix", "prod-db_1.cdc");
    assertThat(new PostgresCdcSourceConfig(props).topicPrefix()).isEqualTo("prod-db_1.cdc");
    props.put("topic.prefix", "prod db");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topic.prefix");
    props.put("topic.prefix", "p".repeat(201));
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .hasMessageContaining("topic.prefix");
  }

  @Test
  void schemaNamesAreAdjustedForAvroUnlessTurnedOff() {
    Map<String, String> props = minimal();
    assertThat(new PostgresCdcSourceConfig(props).schemaNameAdjustment())
        .isEqualTo(SchemaNameAdjustment.AVRO);
    props.put("schema.name.adjustment.mode", "None");
    assertThat(new PostgresCdcSourceConfig(props).schemaNameAdjustment())
        .isEqualTo(SchemaNameAdjustment.NONE);
    props.put("schema.name.adjustment.mode", "avro_unicode");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .hasMessageContaining("schema.name.adjustment.mode");
  }

  @Test
  void everyKeyIsDocumentedAndTheDocsAreCurrent() throws Exception {
    ConfigDocs.assertEveryKeyDocumented(DOC);
    ConfigDocs.assertUpToDate(Path.of("docs"), DOC);
  }

  @Test
  void columnIncludeAndExcludeListsAreMutuallyExclusive() {
    Map<String, String> props = minimal();
    props.put("column.include.list", "public\\.t\\.a");
    assertThat(new PostgresCdcSourceConfig(props).tableFilter().includesColumn("public", "t", "b"))
        .isFalse();
    props.put("column.exclude.list", "public\\.t\\.b");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("column.exclude.list");
    Map<String, List<String>> errors = validationErrors(props);
    assertThat(errors.get("column.exclude.list"))
        .singleElement()
        .asString()
        .contains("cannot be used together");
    props.remove("column.include.list");
    assertThat(new PostgresCdcSourceConfig(props).tableFilter().includesColumn("public", "t", "b"))
        .isFalse();
    assertThat(new PostgresCdcSourceConfig(props).tableFilter().includesColumn("public", "t", "a"))
        .isTrue();
  }

  @Test
  void messageKeyColumnsFollowDebeziumsSyntaxAndAreRefusedOnTheirKeyWhenMalformed() {
    io.pgsnow.source.config.MessageKeyColumns keys =
        io.pgsnow.source.config.MessageKeyColumns.parse(
            "public\\.orders:customer_id,order_no; public\\.item.*:s.u;");
    List<String> columns = List.of("id", "order_no", "note", "customer_id");
    assertThat(keys.of("public", "orders", columns)).containsExactly("order_no", "customer_id");
    assertThat(keys.of("public", "items_a", List.of("id", "sku"))).containsExactly("sku");
    assertThat(keys.of("public", "other", List.of("id", "sku"))).isEmpty();
    assertThat(keys.of("public", "orders", List.of("id"))).as("no named column").isEmpty();

    Map<String, String> props = minimal();
    props.put("message.key.columns", "public.orders:id;public.items");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("message.key.columns")
        .hasMessageContaining("'public.items' is not <schema.table>:<column>");
    Map<String, List<String>> errors = validationErrors(props);
    assertThat(errors.get("message.key.columns"))
        .singleElement()
        .asString()
        .contains("public.items");
  }

  @Test
  void theReplicationRetryKeysSetThePolicyAndAMaximumBelowTheFirstBackoffIsRejectedOnItsKey() {
    RetryPolicy defaults = new PostgresCdcSourceConfig(minimal()).replicationRetry();
    assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.maxRetries()).as("ten reconnects, as before the keys").isEqualTo(10);
    Map<String, String> props = minimal();
    props.put("replication.retry.backoff.ms", "2000");
    props.put("replication.retry.backoff.max.ms", "60000");
    props.put("replication.retry.max.attempts", "4");
    props.put("replication.retry.deadline.ms", "30000");
    assertThat(new PostgresCdcSourceConfig(props).replicationRetry())
        .isEqualTo(
            new RetryPolicy(
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                3,
                Duration.ofSeconds(30),
                RetryPolicy.DEFAULT_JITTER));
    props.put("replication.retry.backoff.max.ms", "1000");
    assertThatThrownBy(() -> new PostgresCdcSourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("replication.retry.backoff.max.ms");
    assertThat(validationErrors(props).get("replication.retry.backoff.max.ms"))
        .singleElement()
        .asString()
        .contains("Must be at least replication.retry.backoff.ms");
  }

  /** The error messages of validate() by key. */
  private static Map<String, List<String>> validationErrors(Map<String, String> props) {
    Map<String, List<String>> errors = new HashMap<>();
    new PostgresCdcSourceConnector()
        .validate(props)
        .configValues()
        .forEach(v -> errors.put(v.name(), v.errorMessages()));
    return errors;
  }
}
