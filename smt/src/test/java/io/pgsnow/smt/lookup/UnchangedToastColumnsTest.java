package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class UnchangedToastColumnsTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("id", Schema.INT32_SCHEMA)
          .field("bio", Schema.OPTIONAL_STRING_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  @Test
  void parsesPlainAndJsonQuotedHeaders() {
    assertThat(UnchangedToastColumns.parse("bio, note")).containsExactlyInAnyOrder("bio", "note");
    assertThat(UnchangedToastColumns.parse("\"bio\"")).containsExactly("bio");
    assertThat(UnchangedToastColumns.parse(null)).isEmpty();
  }

  @Test
  void structRowsKeepOnlyTheNamedNullColumns() {
    Struct before = new Struct(ROW).put("id", 1).put("bio", "long").put("note", "old");
    Struct after = new Struct(ROW).put("id", 1).put("bio", null).put("note", null);
    Struct filled = (Struct) UnchangedToastColumns.carryOver(after, before, Set.of("bio"));
    assertThat(filled.getString("bio")).isEqualTo("long");
    // Not named: a real update to null.
    assertThat(filled.getString("note")).isNull();
  }

  @Test
  void mapRowsKeepTheNamedNullColumnsAndNothingWithoutAPreviousRow() {
    Map<String, Object> after = new HashMap<>();
    after.put("id", 1L);
    after.put("bio", null);
    assertThat(
            UnchangedToastColumns.carryOver(after, Map.of("id", 1L, "bio", "long"), Set.of("bio")))
        .isEqualTo(Map.of("id", 1L, "bio", "long"));
    assertThat(UnchangedToastColumns.carryOver(after, null, Set.of("bio"))).isSameAs(after);
  }
}
