package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.smt.payroll.Payroll;
import io.pgsnow.testkit.PayrollSchemas;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnwrapChangeEventTest {
  private final ChangeEvents payroll = Payroll.payrollEvents("pg");
  private final Struct alice = Payroll.employee(payroll, 1, "Alice", "Smith", 40, 30);
  private final Struct alice2 = Payroll.employee(payroll, 1, "Alice", "Jones", 41, 35);
  private UnwrapChangeEvent<SourceRecord> unwrap = new UnwrapChangeEvent.Value<>();

  private void configure(Map<String, ?> props) {
    unwrap.configure(props);
  }

  @AfterEach
  void close() {
    unwrap.close();
  }

  @Test
  void replacesAnInsertOrUpdateByTheAfterRow() {
    configure(Map.of());
    SourceRecord out = unwrap.apply(payroll.update(alice, alice2));
    assertThat(out.value()).isSameAs(alice2);
    assertThat(out.valueSchema()).isSameAs(payroll.rowSchema());
    assertThat(out.key()).isEqualTo(payroll.update(alice, alice2).key());
  }

  @Test
  void schemalessEnvelopeBecomesTheAfterMap() {
    configure(Map.of());
    SourceRecord out = unwrap.apply(ChangeEvents.schemaless(payroll.insert(alice)));
    assertThat(out.valueSchema()).isNull();
    assertThat((Map<Object, Object>) out.value())
        .containsEntry("employee_id", 1L)
        .containsEntry("last_name", "Smith")
        .doesNotContainKey("__deleted");
  }

  @Test
  void deleteBecomesTombstoneAndTombstonesPassByDefault() {
    configure(Map.of());
    SourceRecord delete = unwrap.apply(payroll.delete(alice));
    assertThat(delete.value()).isNull();
    assertThat(delete.valueSchema()).isNull();
    assertThat(delete.key()).isEqualTo(payroll.tombstone(alice).key());
    assertThat(unwrap.apply(payroll.tombstone(alice)).value()).isNull();
    SourceRecord schemaless = unwrap.apply(ChangeEvents.schemaless(payroll.delete(alice)));
    assertThat(schemaless.value()).isNull();
  }

  @Test
  void dropModeRemovesDeletesAndTombstones() {
    configure(Map.of(UnwrapChangeEventConfig.DELETE_HANDLING, "drop"));
    assertThat(unwrap.apply(payroll.delete(alice))).isNull();
    assertThat(unwrap.apply(payroll.tombstone(alice))).isNull();
    assertThat(unwrap.apply(ChangeEvents.schemaless(payroll.delete(alice)))).isNull();
    assertThat(unwrap.apply(payroll.insert(alice))).isNotNull();
  }

  @Test
  void rewriteModeFlagsDeletesAndDropsTombstones() {
    configure(Map.of(UnwrapChangeEventConfig.DELETE_HANDLING, "rewrite"));
    Struct deleted = (Struct) unwrap.apply(payroll.delete(alice)).value();
    assertThat(deleted.getString("__deleted")).isEqualTo("true");
    assertThat(deleted.getString("last_name")).isEqualTo("Smith");
    Struct inserted = (Struct) unwrap.apply(payroll.insert(alice)).value();
    assertThat(inserted.getString("__deleted")).isEqualTo("false");
    assertThat(inserted.schema()).isSameAs(deleted.schema());
    assertThat(inserted.schema().field("__deleted").schema().isOptional()).isTrue();
    assertThat(unwrap.apply(payroll.tombstone(alice))).isNull();

    Map<Object, Object> map =
        (Map<Object, Object>) unwrap.apply(ChangeEvents.schemaless(payroll.delete(alice))).value();
    assertThat(map).containsEntry("__deleted", "true").containsEntry("first_name", "Alice");
    assertThat(unwrap.apply(ChangeEvents.schemaless(payroll.tombstone(alice)))).isNull();
  }

  @Test
  void rewriteWithTombstoneKeepsTombstones() {
    configure(Map.of(UnwrapChangeEventConfig.DELETE_HANDLING, "rewrite-with-tombstone"));
    assertThat(((Struct) unwrap.apply(payroll.delete(alice)).value()).getString("__deleted"))
        .isEqualTo("true");
    SourceRecord tombstone = unwrap.apply(payroll.tombstone(alice));
    assertThat(tombstone).isNotNull();
    assertThat(tombstone.value()).isNull();
  }

  @Test
  void addsEnvelopeFieldsWithPrefix() {
    configure(
        Map.of(
            UnwrapChangeEventConfig.ADD_FIELDS,
            "op,table,lsn,source.ts_ms,ts_ms,nonexistent",
            UnwrapChangeEventConfig.ADD_FIELDS_PREFIX,
            "__"));
    Struct out = (Struct) unwrap.apply(payroll.update(alice, alice2)).value();
    assertThat(out.getString("__op")).isEqualTo("u");
    assertThat(out.getString("__table")).isEqualTo("payroll");
    assertThat(out.getInt64("__lsn")).isPositive();
    assertThat(out.getInt64("__source_ts_ms")).isEqualTo(1_700_000_000_000L);
    assertThat(out.getInt64("__ts_ms")).isEqualTo(1_700_000_000_123L);
    assertThat(out.schema().field("__nonexistent")).isNull();
    assertThat(out.schema().field("__table").schema().isOptional()).isTrue();
    assertThat(out.getString("last_name")).isEqualTo("Jones");

    Map<Object, Object> map =
        (Map<Object, Object>) unwrap.apply(ChangeEvents.schemaless(payroll.insert(alice))).value();
    assertThat(map)
        .containsEntry("__op", "c")
        .containsEntry("__table", "payroll")
        .containsEntry("__source_ts_ms", 1_700_000_000_000L)
        .doesNotContainKey("__nonexistent");
  }

  @Test
  void addsEnvelopeFieldsAsHeaders() {
    configure(
        Map.of(
            UnwrapChangeEventConfig.ADD_HEADERS,
            "op,source.lsn",
            UnwrapChangeEventConfig.ADD_HEADERS_PREFIX,
            "cdc_"));
    SourceRecord event = payroll.insert(alice);
    SourceRecord out = unwrap.apply(event);
    assertThat(out.headers().lastWithName("cdc_op").value()).isEqualTo("c");
    assertThat(out.headers().lastWithName("cdc_source_lsn").value()).isInstanceOf(Long.class);
    assertThat(event.headers().isEmpty()).isTrue();

    SourceRecord map = unwrap.apply(ChangeEvents.schemaless(payroll.delete(alice)));
    assertThat(map.value()).isNull();
    SourceRecord mapInsert = unwrap.apply(ChangeEvents.schemaless(payroll.insert(alice)));
    assertThat(mapInsert.headers().lastWithName("cdc_op").value()).isEqualTo("c");
  }

  @Test
  void dropsFieldsListedInAHeader() {
    configure(Map.of(UnwrapChangeEventConfig.DROP_FIELDS_HEADER, "drop_fields"));
    SourceRecord event = payroll.insert(alice);
    event.headers().add("drop_fields", List.of("ssn", "email"), null);
    Struct out = (Struct) unwrap.apply(event).value();
    assertThat(out.schema().field("ssn")).isNull();
    assertThat(out.schema().field("email")).isNull();
    assertThat(out.getString("first_name")).isEqualTo("Alice");

    SourceRecord mapEvent = ChangeEvents.schemaless(payroll.insert(alice));
    mapEvent.headers().addString("drop_fields", "ssn, email");
    assertThat((Map<Object, Object>) unwrap.apply(mapEvent).value())
        .doesNotContainKeys("ssn", "email")
        .containsKey("first_name");

    // Without the header nothing is dropped.
    assertThat(((Struct) unwrap.apply(payroll.insert(alice)).value()).get("ssn")).isNotNull();
  }

  @Test
  void passesRecordsThatAreNotEnvelopes() {
    configure(Map.of(UnwrapChangeEventConfig.ADD_FIELDS, "op"));
    SourceRecord plain =
        new SourceRecord(Map.of(), Map.of(), "t", null, null, null, payroll.rowSchema(), alice, 0L);
    assertThat(unwrap.apply(plain)).isSameAs(plain);
    SourceRecord map =
        new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null, Map.of("a", 1), 0L);
    assertThat(unwrap.apply(map)).isSameAs(map);
    SourceRecord text =
        new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null, "heartbeat", 0L);
    assertThat(unwrap.apply(text)).isSameAs(text);
  }

  @Test
  void dropsTruncateEvents() {
    configure(Map.of());
    assertThat(unwrap.apply(payroll.event("t", null, null))).isNull();
  }

  @Test
  void cachesDerivedSchemasAndFollowsSchemaChanges() {
    configure(Map.of(UnwrapChangeEventConfig.ADD_FIELDS, "op"));
    Schema first = unwrap.apply(payroll.insert(alice)).valueSchema();
    assertThat(unwrap.apply(payroll.update(alice, alice2)).valueSchema()).isSameAs(first);
    assertThat(unwrap.cachedSchemas()).isEqualTo(1);

    // ALTER TABLE payroll ADD COLUMN department: a new row schema, a new derived schema.
    Schema wider =
        PayrollSchemas.payrollColumns(SchemaBuilder.struct())
            .field("department", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    ChangeEvents altered = new ChangeEvents("pg", "payroll", wider, "employee_id");
    Struct row = altered.row("employee_id", 2, "department", "sales");
    Schema second = unwrap.apply(altered.insert(row)).valueSchema();
    assertThat(second).isNotEqualTo(first);
    assertThat(second.field("department")).isNotNull();
    assertThat(second.field("__op")).isNotNull();
    assertThat(unwrap.cachedSchemas()).isEqualTo(2);
    assertThat(unwrap.apply(payroll.insert(alice)).valueSchema()).isSameAs(first);
  }

  @Test
  void keyVariantUnwrapsAnEnvelopeInTheKey() {
    unwrap = new UnwrapChangeEvent.Key<>();
    configure(Map.of());
    SourceRecord event = payroll.insert(alice);
    SourceRecord keyed =
        event.newRecord(event.topic(), null, event.valueSchema(), event.value(), null, "v", 0L);
    SourceRecord out = unwrap.apply(keyed);
    assertThat(out.key()).isSameAs(alice);
    assertThat(out.value()).isEqualTo("v");
  }

  @Test
  void rejectsUnknownDeleteMode() {
    assertThatThrownBy(() -> configure(Map.of(UnwrapChangeEventConfig.DELETE_HANDLING, "none")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void reportsAVersion() {
    assertThat(unwrap.version()).isNotBlank();
    assertThat(unwrap.config().names()).contains(UnwrapChangeEventConfig.DELETE_HANDLING);
    assertThat(new UnwrapChangeEventConfig(Map.of()).deleteHandling())
        .isEqualTo(UnwrapChangeEventConfig.DeleteHandling.TOMBSTONE);
    Header none = payroll.insert(alice).headers().lastWithName("x");
    assertThat(none).isNull();
  }
}
