package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapturedTablesTest {
  @Test
  void namesWithCommasDotsAndQuotesReadBackAsTheyWere() {
    List<TableName> tables =
        List.of(
            new TableName("public", "orders"),
            new TableName("a,b", "c"),
            new TableName("a", "b.c"),
            new TableName("a.b", "c"),
            new TableName("q\"s", "\"t\""),
            new TableName("sp ace", ""));
    String encoded = CapturedTables.encode(tables);
    CapturedTables decoded = CapturedTables.decode(encoded);
    assertThat(tables).allMatch(decoded::contains);
    assertThat(decoded.contains(new TableName("a", "b"))).isFalse();
    assertThat(decoded.contains(new TableName("public", "order"))).isFalse();
    assertThat(CapturedTables.decode(CapturedTables.encode(List.of(new TableName("a", "b.c")))))
        .matches(d -> !d.contains(new TableName("a.b", "c")));
  }

  @Test
  void offsetsWrittenBeforeTheQuotedEncodingAreStillRead() {
    CapturedTables old = CapturedTables.decode("public.orders,public.events");
    assertThat(old.contains(new TableName("public", "orders"))).isTrue();
    assertThat(old.contains(new TableName("public", "events"))).isTrue();
    assertThat(old.contains(new TableName("public", "later"))).isFalse();
    assertThat(CapturedTables.decode("").contains(new TableName("public", "orders"))).isFalse();
  }

  @Test
  void aDamagedValueIsRefused() {
    assertThatThrownBy(() -> CapturedTables.decode("\"public\".\"orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unterminated");
  }
}
