package io.pgsnow.emulator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectNameTest {

  @Test
  void unquotedPartsAreUpperCasedAndQuotedKeptExactly() {
    assertThat(ObjectName.parse("kafka_db.\"My Schema\".SnowFlake_PIPE_orders_0"))
        .isEqualTo(new ObjectName("KAFKA_DB", "My Schema", "SNOWFLAKE_PIPE_ORDERS_0"));
    assertThat(ObjectName.parse("\"a\"\"b\"").name()).isEqualTo("a\"b");
  }

  @Test
  void qualifyFillsMissingPartsOrFails() {
    assertThat(ObjectName.parse("t").qualify("DB", "S").toDuckSql())
        .isEqualTo("\"DB\".\"S\".\"T\"");
    assertThat(ObjectName.parse("x.t").qualify("DB", "S").display()).isEqualTo("DB.X.T");
    assertThatThrownBy(() -> ObjectName.parse("t").qualify(null, null))
        .isInstanceOf(SnowflakeSqlException.class);
  }

  @Test
  void stageReferences() {
    assertThat(StageRef.parse("@db.s.stg/a/b.json"))
        .isEqualTo(new StageRef(StageRef.Kind.NAMED, new ObjectName("DB", "S", "STG"), "a/b.json"));
    assertThat(StageRef.parse("@%orders/x"))
        .isEqualTo(new StageRef(StageRef.Kind.TABLE, ObjectName.of("ORDERS"), "x"));
    assertThat(StageRef.parse("@s.%orders"))
        .isEqualTo(new StageRef(StageRef.Kind.TABLE, new ObjectName(null, "S", "ORDERS"), ""));
    assertThat(StageRef.parse("@~/f").kind()).isEqualTo(StageRef.Kind.USER);
  }
}
