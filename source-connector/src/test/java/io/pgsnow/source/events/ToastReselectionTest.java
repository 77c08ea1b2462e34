package io.pgsnow.source.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.source.config.DecimalHandling;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.schema.ColumnTypes;
import io.pgsnow.source.schema.TypeResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ToastReselectionTest {
  private static final TableSchema DOCS =
      TableSchema.of(
          new PgOutputMessage.Relation(
              0,
              7,
              "public",
              "docs",
              'd',
              List.of(
                  new PgOutputMessage.Column(true, "id", 23, -1),
                  new PgOutputMessage.Column(false, "body", 25, -1))),
          "pg",
          new ColumnTypes(DecimalHandling.PRECISE, TypeResolver.NONE),
          PrimaryKeys.NONE);

  @Test
  void readsOneBatchPerQueryAndKeepsTheOrder() {
    List<List<List<String>>> queries = new ArrayList<>();
    ToastReselection reselection =
        new ToastReselection(
            (schema, table, keyColumns, columns, keys) -> {
              assertThat(keyColumns).containsExactly("id");
              assertThat(columns).containsExactly("body");
              queries.add(keys);
              Map<List<String>, Map<String, String>> rows = new HashMap<>();
              // Row 3 no longer exists.
              keys.stream()
                  .filter(k -> !k.equals(List.of("3")))
                  .forEach(k -> rows.put(k, Map.of("body", "b" + k.get(0))));
              return rows;
            });
    List<SourceRecord> released = new ArrayList<>();
    for (int id = 1; id <= 300; id++) {
      boolean full =
          reselection.hold(update(id), DOCS, List.of(Integer.toString(id)), List.of("body"));
      assertThat(full).isEqualTo(id == ToastReselection.BATCH);
      if (full) {
        released.addAll(reselection.release());
      }
    }
    assertThat(reselection.holding()).isTrue();
    released.addAll(reselection.release());
    assertThat(reselection.holding()).isFalse();
    assertThat(queries).hasSize(2);
    assertThat(queries.get(0)).hasSize(ToastReselection.BATCH);
    assertThat(released).hasSize(300);
    for (int i = 0; i < 300; i++) {
      Struct after = ((Struct) released.get(i).value()).getStruct("after");
      int id = after.getInt32("id");
      assertThat(id).isEqualTo(i + 1);
      if (id == 3) {
        assertThat(after.getString("body")).isNull();
        assertThat(released.get(i).headers().lastWithName("pgsnow.unchanged.toast.columns"))
            .isNotNull();
      } else {
        assertThat(after.getString("body")).isEqualTo("b" + id);
        assertThat(released.get(i).headers().lastWithName("pgsnow.unchanged.toast.columns"))
            .isNull();
        assertThat(
                released.get(i).headers().lastWithName("pgsnow.reselected.toast.columns").value())
            .isEqualTo("body");
      }
    }
  }

  private static SourceRecord update(int id) {
    Struct after = new Struct(DOCS.rowSchema()).put("id", id);
    Struct value = new Struct(DOCS.envelopeSchema()).put("after", after).put("op", "u");
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("pgsnow.unchanged.toast.columns", "body");
    return new SourceRecord(Map.of(), Map.of(), "t", null, null, null, null, value, 0L, headers);
  }
}
