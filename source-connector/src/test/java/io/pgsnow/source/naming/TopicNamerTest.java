package io.pgsnow.source.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pgsnow.source.config.SchemaNameAdjustment;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TopicNamerTest {
  /** An Avro full name: dot-separated names, each [A-Za-z_][A-Za-z0-9_]*. */
  private static final Pattern AVRO_FULL_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  private static final TopicNamer AVRO = new TopicNamer("pg", SchemaNameAdjustment.AVRO);
  private static final TopicNamer NONE = new TopicNamer("pg", SchemaNameAdjustment.NONE);

  /** Table names a PostgreSQL user can create, each with some character class in it. */
  private static final List<String> ODD_TABLES =
      List.of(
          "order lines",
          "we\"ird",
          "it's",
          "a.b",
          "a/b\\c",
          "x,y;z:w",
          "tab\there",
          "line\nbreak",
          "bell\u0007",
          "del\u007f",
          "café",
          "straße",
          "表格",
          "emoji😀",
          "zero\u200bwidth",
          "2024-orders",
          "-leading-dash",
          "_under_score",
          "$dollar",
          "...",
          "MixedCase");

  @Test
  void validNamesAreKeptAsTheyAre() {
    TableNames names = AVRO.name("public", "payroll_bonus");
    assertThat(names.topic()).isEqualTo("pg.public.payroll_bonus");
    assertThat(names.schemaNameBase()).isEqualTo("pg.public.payroll_bonus");
    assertThat(names.renamed()).isFalse();
    assertThat(AVRO.name("Sales-EU", "Orders.2024").topic()).isEqualTo("pg.Sales-EU.Orders.2024");
    assertThat(AVRO.name("Sales-EU", "Orders.2024").renamed()).isFalse();
  }

  @Test
  void everyCharacterOutsideTheTopicAlphabetBecomesOneUnderscore() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String topic = TopicNamer.validTopic("pg.public.t" + c);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      assertThat(topic).as("U+%04X", (int) c).isEqualTo("pg.public.t" + (allowed ? c : '_'));
      assertThat(TopicNamer.isTopicCharacter(c)).as("U+%04X", (int) c).isEqualTo(allowed);
    }
  }

  @Test
  void namesFollowDebeziumsReplacement() {
    assertThat(AVRO.name("public", "order lines").topic()).isEqualTo("pg.public.order_lines");
    assertThat(AVRO.name("public", "we\"ird").topic()).isEqualTo("pg.public.we_ird");
    assertThat(AVRO.name("public", "café").topic()).isEqualTo("pg.public.caf_");
    assertThat(AVRO.name("public", "表格").topic()).isEqualTo("pg.public.__");
    // A character outside the Basic Multilingual Plane is two UTF-16 units, as in Debezium.
    assertThat(AVRO.name("public", "emoji😀").topic()).isEqualTo("pg.public.emoji__");
    // Dots are valid topic characters and are kept, as in Debezium.
    assertThat(AVRO.name("public", "a.b").topic()).isEqualTo("pg.public.a.b");
    assertThat(AVRO.name("public", "order lines").renamed()).isTrue();
  }

  @Test
  void everyNameIsATopicKafkaAccepts() {
    for (String table : ODD_TABLES) {
      String topic = AVRO.name("my schema", table).topic();
      assertThatCode(() -> Topic.validate(topic)).as(table).doesNotThrowAnyException();
    }
    String longName = "t".repeat(63);
    String topic =
        new TopicNamer("p".repeat(200), SchemaNameAdjustment.AVRO).name(longName, longName).topic();
    assertThat(topic).hasSize(TopicNamer.MAX_TOPIC_LENGTH);
    assertThatCode(() -> Topic.validate(topic)).doesNotThrowAnyException();
    assertThat(TopicNamer.validTopic(".")).isEqualTo("_");
    assertThat(TopicNamer.validTopic("..")).isEqualTo("__");
  }

  @Test
  void namesAreStable() {
    for (String table : ODD_TABLES) {
      TableNames first = AVRO.name("public", table);
      TableNames again = new TopicNamer("pg", SchemaNameAdjustment.AVRO).name("public", table);
      assertThat(again).isEqualTo(first);
    }
  }

  @Test
  void schemaNamesAreAvroFullNamesInAvroMode() {
    for (String table : ODD_TABLES) {
      String base = AVRO.name("public", table).schemaNameBase();
      for (String suffix : List.of(".Key", ".Value", ".Envelope")) {
        assertThat(base + suffix).as(table).matches(AVRO_FULL_NAME);
      }
    }
    assertThat(AVRO.name("public", "2024-orders").schemaNameBase())
        .isEqualTo("pg.public._2024_orders");
    assertThat(AVRO.name("public", "...").schemaNameBase()).isEqualTo("pg.public._._._._");
    assertThat(new TopicNamer("1-db", SchemaNameAdjustment.AVRO).name("s", "t").schemaNameBase())
        .isEqualTo("_1_db.s.t");
  }

  @Test
  void schemaNamesAreTheTopicInNoneMode() {
    TableNames names = NONE.name("public", "2024-orders");
    assertThat(names.schemaNameBase()).isEqualTo("pg.public.2024-orders");
    assertThat(NONE.name("public", "order lines").schemaNameBase())
        .isEqualTo("pg.public.order_lines");
  }

  @Test
  void qualifiedNamesAreQuotedWhereSqlNeedsIt() {
    assertThat(AVRO.name("public", "orders").qualifiedName()).isEqualTo("public.orders");
    assertThat(AVRO.name("public", "order lines").qualifiedName())
        .isEqualTo("public.\"order lines\"");
    assertThat(AVRO.name("Sales", "we\"ird").qualifiedName()).isEqualTo("\"Sales\".\"we\"\"ird\"");
  }
}
