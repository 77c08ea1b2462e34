package io.pgsnow.source.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.source.config.SchemaNameAdjustment;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicAssignmentsTest {
  private static final TopicNamer NAMER = new TopicNamer("pg", SchemaNameAdjustment.AVRO);

  @Test
  void aTableKeepsItsTopic() {
    TopicAssignments topics = new TopicAssignments(NAMER);
    TableNames first = topics.assign("public", "order lines");
    assertThat(topics.assign("public", "order lines")).isEqualTo(first);
    assertThat(topics.assign("public", "orders").topic()).isEqualTo("pg.public.orders");
  }

  @Test
  void refusesASecondTableForTheSameTopic() {
    TopicAssignments topics = new TopicAssignments(NAMER);
    topics.assign("public", "order lines");
    assertThatThrownBy(() -> topics.assign("public", "order_lines"))
        .isInstanceOf(TopicCollisionException.class)
        .hasMessageContaining("public.\"order lines\"")
        .hasMessageContaining("public.order_lines")
        .hasMessageContaining("both go to topic pg.public.order_lines")
        .hasMessageContaining("table.exclude.list")
        .hasMessageContaining("was dropped or renamed since the task started");
    // Tables listed together at start both exist: restarting would not help.
    TopicAssignments atStart = new TopicAssignments(NAMER);
    atStart.assignAtStart("public", "order lines");
    assertThatThrownBy(() -> atStart.assignAtStart("public", "order_lines"))
        .isInstanceOf(TopicCollisionException.class)
        .hasMessageContaining("both go to topic pg.public.order_lines")
        .hasMessageNotContaining("restarting");
    // The table that had the topic keeps it.
    assertThat(topics.assign("public", "order lines").topic()).isEqualTo("pg.public.order_lines");
  }

  @Test
  void refusesTopicsKafkaSeesAsColliding() {
    TopicAssignments topics = new TopicAssignments(NAMER);
    topics.assign("public", "a.b");
    assertThatThrownBy(() -> topics.assign("public", "a_b"))
        .isInstanceOf(TopicCollisionException.class)
        .hasMessageContaining("pg.public.a.b and pg.public.a_b")
        .hasMessageContaining("'.' versus '_'");
    // A dot in a table name can also make two tables one topic.
    topics.assign("sales", "eu.orders");
    assertThatThrownBy(() -> topics.assign("sales.eu", "orders"))
        .hasMessageContaining("both go to topic pg.sales.eu.orders");
  }

  @Test
  void namesCutAtTheLengthLimitCanCollide() {
    TopicNamer longPrefix = new TopicNamer("p".repeat(180), SchemaNameAdjustment.AVRO);
    TopicAssignments topics = new TopicAssignments(longPrefix);
    topics.assign("public", "x".repeat(62) + "1");
    assertThatThrownBy(() -> topics.assign("public", "x".repeat(62) + "2"))
        .isInstanceOf(TopicCollisionException.class);
  }

  @Test
  void listsTheCollisionsOfATableSet() {
    List<TableNames> names =
        List.of(
            NAMER.name("public", "orders"),
            NAMER.name("public", "order lines"),
            NAMER.name("public", "café"),
            NAMER.name("public", "order_lines"),
            NAMER.name("public", "caf\""),
            NAMER.name("public", "orders"));
    List<TopicAssignments.Collision> collisions = TopicAssignments.collisions(names);
    assertThat(collisions)
        .extracting(c -> c.first().table() + " / " + c.second().table())
        .containsExactly("order lines / order_lines", "café / caf\"");
    assertThat(
            TopicAssignments.collisions(List.of(NAMER.name("public", "a"), NAMER.name("b", "a"))))
        .isEmpty();
  }
}
