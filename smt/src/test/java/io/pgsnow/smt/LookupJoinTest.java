package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.smt.lookup.LookupFailedException;
import io.pgsnow.smt.lookup.LookupKey;
import io.pgsnow.smt.lookup.LookupSource;
import io.pgsnow.smt.lookup.LookupTableFullException;
import io.pgsnow.smt.payroll.Payroll;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class LookupJoinTest {
  private final ChangeEvents payroll = Payroll.payrollEvents("pg");
  private final ChangeEvents bonuses = Payroll.bonusEvents("pg");
  private final Struct alice = Payroll.employee(payroll, 1, "Alice", "Smith", 40, 30);
  private final InMemorySource table = new InMemorySource();

  /** A table in memory: the unit under test is the join, not a source. */
  static final class InMemorySource implements LookupSource {
    final Map<LookupKey, Object> rows = new HashMap<>();
    Schema schema;
    boolean ready = true;
    boolean failing;
    boolean full;
    boolean closed;
    String absorbTopic;

    @Override
    public void awaitReady(Duration timeout) throws LookupFailedException {
      if (!ready) {
        throw new LookupFailedException("not loaded within " + timeout);
      }
    }

    @Override
    public Optional<Object> lookup(LookupKey key) throws LookupFailedException {
      if (failing) {
        throw new LookupFailedException("timeout");
      }
      if (full) {
        throw new LookupTableFullException("the row of key [7] would make it 3 rows");
      }
      return Optional.ofNullable(rows.get(key));
    }

    @Override
    public Optional<Schema> rowSchema() {
      return Optional.ofNullable(schema);
    }

    @Override
    public boolean absorb(ConnectRecord<?> record) {
      if (!record.topic().equals(absorbTopic)) {
        return false;
      }
      rows.put(LookupKey.of(((Struct) record.key()).get("employee_id")), record.value());
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }

    void put(Struct row) {
      rows.put(LookupKey.of(row.get("employee_id")), row);
      schema = row.schema();
    }
  }

  private LookupJoin<SourceRecord> join(Map<String, String> extra) {
    LookupJoin<SourceRecord> join =
        new LookupJoin.Value<>() {
          @Override
          protected LookupSource openSource(LookupJoinConfig config) {
            return table;
          }
        };
    Map<String, String> props = new HashMap<>();
    props.put(LookupJoinConfig.SOURCE, "jdbc");
    props.put(LookupJoinConfig.JDBC_URL, "jdbc:postgresql://unused/db");
    props.put(LookupJoinConfig.JDBC_QUERY, "SELECT 1");
    props.put(LookupJoinConfig.KEY_FIELDS, "employee_id");
    props.putAll(extra);
    join.configure(props);
    return join;
  }

  private SourceRecord bonusRow(int bonusId, int employeeId) {
    Struct bonus = Payroll.bonus(bonuses, bonusId, employeeId, 25);
    SourceRecord event = bonuses.insert(bonus);
    return event.newRecord(
        event.topic(), null, event.keySchema(), event.key(), bonus.schema(), bonus, 0L);
  }

  @Test
  void innerJoinAddsAllNewFieldsAndDropsMisses() {
    table.put(alice);
    LookupJoin<SourceRecord> join = join(Map.of());
    Struct out = (Struct) join.apply(bonusRow(10, 1)).value();
    assertThat(out.getInt32("bonus")).isEqualTo(25);
    assertThat(out.getString("first_name")).isEqualTo("Alice");
    assertThat(out.getInt32("hourly_rate")).isEqualTo(30);
    // employee_id is already a field of the bonus: it is not added twice.
    assertThat(out.schema().fields()).hasSize(4 + 7);
    assertThat(join.apply(bonusRow(11, 99))).isNull();
  }

  @Test
  void leftJoinKeepsMissesWithNullFields() {
    table.put(alice);
    LookupJoin<SourceRecord> join = join(Map.of(LookupJoinConfig.JOIN_TYPE, "left"));
    SourceRecord hit = join.apply(bonusRow(10, 1));
    Struct miss = (Struct) join.apply(bonusRow(11, 99)).value();
    assertThat(miss.getString("first_name")).isNull();
    assertThat(miss.getInt32("employee_id")).isEqualTo(99);
    assertThat(miss.schema()).isSameAs(hit.valueSchema());
  }

  @Test
  void selectsRenamesAndPrefixesFields() {
    table.put(alice);
    LookupJoin<SourceRecord> join =
        join(
            Map.of(
                LookupJoinConfig.FIELDS,
                "first_name,last_name:surname,employee_id:emp",
                LookupJoinConfig.FIELDS_PREFIX,
                "p_"));
    Struct out = (Struct) join.apply(bonusRow(10, 1)).value();
    assertThat(out.getString("p_first_name")).isEqualTo("Alice");
    assertThat(out.getString("p_surname")).isEqualTo("Smith");
    assertThat(out.getInt32("p_emp")).isEqualTo(1);
    assertThat(out.schema().field("age")).isNull();
  }

  @Test
  void rejectsFieldsThatCollideOrDoNotExist() {
    table.put(alice);
    assertThatThrownBy(
            () -> join(Map.of(LookupJoinConfig.FIELDS, "employee_id")).apply(bonusRow(1, 1)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("alias");
    assertThatThrownBy(() -> join(Map.of(LookupJoinConfig.FIELDS, "salary")).apply(bonusRow(1, 1)))
        .isInstanceOf(DataException.class);
    assertThatThrownBy(() -> join(Map.of(LookupJoinConfig.FIELDS, "a:b:c")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void joinsSchemalessRecords() {
    table.put(alice);
    LookupJoin<SourceRecord> join = join(Map.of(LookupJoinConfig.JOIN_TYPE, "left"));
    Map<Object, Object> hit =
        (Map<Object, Object>) join.apply(ChangeEvents.schemaless(bonusRow(10, 1))).value();
    assertThat(hit).containsEntry("first_name", "Alice").containsEntry("bonus", 25L);
    Map<Object, Object> miss =
        (Map<Object, Object>) join.apply(ChangeEvents.schemaless(bonusRow(10, 5))).value();
    assertThat(miss).containsEntry("first_name", null).containsEntry("employee_id", 5L);

    // Schemaless rows (a table read without schemas) join schemaless records too.
    table.rows.put(LookupKey.of(2), Map.of("first_name", "Bo"));
    LookupJoin<SourceRecord> selected = join(Map.of(LookupJoinConfig.FIELDS, "first_name:n"));
    Map<Object, Object> out =
        (Map<Object, Object>) selected.apply(ChangeEvents.schemaless(bonusRow(1, 2))).value();
    assertThat(out).containsEntry("n", "Bo");
  }

  @Test
  void schemaRecordsJoinSchemalessRowsWithInferredTypes() {
    // A table read without schemas holds maps; a record with a schema still gets a struct.
    table.rows.put(LookupKey.of(1), Map.of("first_name", "Bo", "age", 40L, "rate", 12.5));
    LookupJoin<SourceRecord> join = join(Map.of(LookupJoinConfig.FIELDS, "first_name,age,rate"));
    Struct out = (Struct) join.apply(bonusRow(1, 1)).value();
    assertThat(out.getString("first_name")).isEqualTo("Bo");
    assertThat(out.getInt64("age")).isEqualTo(40L);
    assertThat(out.getFloat64("rate")).isEqualTo(12.5);
    assertThat(out.getInt32("bonus")).isEqualTo(25);
    assertThat(out.schema().field("age").schema()).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
  }

  @Test
  void nullKeyNeverMatches() {
    table.put(alice);
    LookupJoin<SourceRecord> join = join(Map.of());
    Map<String, Object> value = new HashMap<>();
    value.put("employee_id", null);
    assertThat(
            join.apply(
                new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null, value, 0L)))
        .isNull();
  }

  @Test
  void passesTombstonesAndAbsorbsTableRecords() {
    LookupJoin<SourceRecord> join = join(Map.of());
    SourceRecord tombstone = bonuses.tombstone(Payroll.bonus(bonuses, 1, 1, 1));
    assertThat(join.apply(tombstone)).isSameAs(tombstone);

    table.absorbTopic = payroll.topic();
    SourceRecord tableRecord = payroll.insert(alice);
    assertThat(join.apply(tableRecord)).isSameAs(tableRecord);
    assertThat(table.rows).containsKey(LookupKey.of(1L));
  }

  @Test
  void failurePoliciesDecideOnLookupErrors() {
    table.put(alice);
    table.failing = true;
    assertThatThrownBy(() -> join(Map.of()).apply(bonusRow(1, 1)))
        .isInstanceOf(RetriableException.class);
    assertThat(join(Map.of(LookupJoinConfig.FAILURE_POLICY, "drop")).apply(bonusRow(1, 1)))
        .isNull();
    Struct kept =
        (Struct)
            join(Map.of(LookupJoinConfig.FAILURE_POLICY, "keep")).apply(bonusRow(1, 1)).value();
    assertThat(kept.getString("first_name")).isNull();
    assertThat(kept.getInt32("bonus")).isEqualTo(25);
  }

  @Test
  void aTableOverItsLimitFailsWhateverThePolicySoNoRecordIsLost() {
    table.put(alice);
    table.full = true;
    for (String policy : List.of("fail", "drop", "keep")) {
      LookupJoin<SourceRecord> join = join(Map.of(LookupJoinConfig.FAILURE_POLICY, policy));
      assertThatThrownBy(() -> join.apply(bonusRow(1, 1)))
          .as(policy)
          .isInstanceOf(LookupTableFullException.class)
          .hasMessageContaining("key [7]");
    }
  }

  @Test
  void sourceNotReadyAppliesThePolicyAndIsRetried() {
    table.put(alice);
    table.ready = false;
    LookupJoin<SourceRecord> join = join(Map.of(LookupJoinConfig.FAILURE_POLICY, "drop"));
    assertThat(join.apply(bonusRow(1, 1))).isNull();
    table.ready = true;
    assertThat(join.apply(bonusRow(1, 1))).isNotNull();
  }

  @Test
  void cachesDerivedSchemasPerRecordAndRowShape() {
    table.put(alice);
    LookupJoin<SourceRecord> join = join(Map.of());
    Schema first = join.apply(bonusRow(1, 1)).valueSchema();
    assertThat(join.apply(bonusRow(2, 1)).valueSchema()).isSameAs(first);
    assertThat(join.cachedSchemas()).isEqualTo(1);
    ChangeEvents widened =
        new ChangeEvents(
            "pg",
            "payroll",
            org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("employee_id", Schema.INT32_SCHEMA)
                .field("department", Schema.OPTIONAL_STRING_SCHEMA)
                .build(),
            "employee_id");
    table.put(widened.row("employee_id", 3, "department", "ops"));
    Struct out = (Struct) join.apply(bonusRow(3, 3)).value();
    assertThat(out.getString("department")).isEqualTo("ops");
    assertThat(join.cachedSchemas()).isEqualTo(2);
  }

  @Test
  void closeReleasesTheSource() {
    LookupJoin<SourceRecord> join = join(Map.of());
    join.close();
    assertThat(table.closed).isTrue();
  }

  @Test
  void configNeedsTheKeysOfItsSource() {
    assertThatThrownBy(
            () ->
                new LookupJoinConfig(
                    Map.of(LookupJoinConfig.SOURCE, "topic", LookupJoinConfig.KEY_FIELDS, "id")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LookupJoinConfig.TOPIC_NAME);
    assertThatThrownBy(
            () ->
                new LookupJoinConfig(
                    Map.of(LookupJoinConfig.SOURCE, "jdbc", LookupJoinConfig.KEY_FIELDS, "id")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LookupJoinConfig.JDBC_URL);
    assertThatThrownBy(
            () ->
                new LookupJoinConfig(
                    Map.of(
                        LookupJoinConfig.SOURCE,
                        "jdbc",
                        LookupJoinConfig.KEY_FIELDS,
                        "",
                        LookupJoinConfig.JDBC_URL,
                        "x",
                        LookupJoinConfig.JDBC_QUERY,
                        "y")))
        .isInstanceOf(ConfigException.class);
  }
}
