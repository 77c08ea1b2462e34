package io.pgsnow.sink.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamingTest {

  @Test
  void validTopicNamesAreTablesAndOthersAreSanitizedWithAHash() {
    TopicTableMap map = TopicTableMap.parse("");
    assertThat(map.tableFor("topic_payroll").sql()).isEqualTo("TOPIC_PAYROLL");
    Identifier odd = map.tableFor("pg.public.orders");
    assertThat(odd.sql()).startsWith("PG_PUBLIC_ORDERS_").doesNotContain(".");
    assertThat(map.tableFor("1x").sql()).startsWith("_1X_");
    assertThat(map.tableFor("a;DROP TABLE x").sql()).matches("[A-Z0-9_]+");
  }

  @Test
  void exactEntriesWinOverRegexesAndManyTopicsShareATable() {
    TopicTableMap map = TopicTableMap.parse("orders:ORDERS_EXACT, orders.*:ALL_ORDERS,x:\"My T\"");
    assertThat(map.tableFor("orders").sql()).isEqualTo("ORDERS_EXACT");
    assertThat(map.tableFor("orders_eu").sql()).isEqualTo("ALL_ORDERS");
    assertThat(map.tableFor("orders_us").sql()).isEqualTo("ALL_ORDERS");
    assertThat(map.tableFor("x").sql()).isEqualTo("\"My T\"");
  }

  @Test
  void rejectsBadMaps() {
    assertThatThrownBy(() -> TopicTableMap.parse("a:b,a:c")).hasMessageContaining("twice");
    assertThatThrownBy(() -> TopicTableMap.parse("a")).hasMessageContaining("topic:table");
    assertThatThrownBy(() -> TopicTableMap.parse("a:b-c")).hasMessageContaining("identifier");
    assertThatThrownBy(() -> TopicTableMap.parse("(a:b")).hasMessageContaining("regex");
  }

  @Test
  void quotedIdentifiersEscapeQuotes() {
    assertThat(Identifier.parse("\"a\"\"b\"").sql()).isEqualTo("\"a\"\"b\"");
    assertThatThrownBy(() -> Identifier.parse("\"a\"b\"")).hasMessageContaining("quote");
    assertThat(Identifier.parse("\"My T\"").fragment()).isEqualTo("My_T");
  }

  @Test
  void objectNamesFollowTheOfficialConnector() {
    ObjectNames names = new ObjectNames("lcc-prz15m");
    Identifier table = Identifier.of("topic_payroll");
    assertThat(names.stage(table).sql())
        .isEqualTo("SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_STAGE_TOPIC_PAYROLL");
    assertThat(names.pipe(table, 0).sql())
        .isEqualTo("SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_PIPE_TOPIC_PAYROLL_0");
    assertThat(names.tablePipe(table).sql())
        .isEqualTo("SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_PIPE_TOPIC_PAYROLL");
  }

  @Test
  void fileNamesDependOnOffsetsOnlyAndParseBack() {
    String dir = StageFileName.directory("C", Identifier.of("t"), 3);
    StageFileName a = StageFileName.of(dir, "topic", 10, 19);
    StageFileName b = StageFileName.of(dir, "topic", 10, 19);
    assertThat(a.path()).isEqualTo(b.path()).startsWith("C/T/3/10_19_").endsWith(".json.gz");
    assertThat(StageFileName.parse(a.path())).contains(a);
    assertThat(StageFileName.of(dir, "other", 10, 19).path()).isNotEqualTo(a.path());
    assertThat(StageFileName.parse("C/T/3/junk.json")).isEmpty();
  }

  @Test
  void retriedFilesGetANewNameForTheSameOffsets() {
    StageFileName first = StageFileName.of("C/T/3", "topic", 10, 19);
    StageFileName second = first.nextAttempt();
    assertThat(first.attempt()).isZero();
    assertThat(second.path()).isEqualTo(first.path().replace(".json.gz", "_r1.json.gz"));
    assertThat(StageFileName.parse(second.path())).contains(second);
    assertThat(second.sameRange(first)).isTrue();
    assertThat(second.nextAttempt().attempt()).isEqualTo(2);
    assertThat(StageFileName.of("C/T/3", "topic", 10, 20).sameRange(first)).isFalse();
    assertThat(StageFileName.parse("C/T/3/10_19_0000abcd_rx.json.gz")).isEmpty();
  }
}
