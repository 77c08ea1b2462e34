package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class InferredRowSchemaTest {

  private static Map<String, Object> row(Object... namesAndValues) {
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      row.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return row;
  }

  @Test
  void typesFieldsFromEveryRowWhateverTheOrder() {
    Map<String, Object> alice = row("id", 1L, "name", "Alice", "rate", null);
    Map<String, Object> bob = row("id", 2L, "name", null, "rate", 12.5, "tags", List.of("a"));
    InferredRowSchema one = InferredRowSchema.EMPTY.merge(alice).merge(bob);
    InferredRowSchema other = InferredRowSchema.EMPTY.merge(bob).merge(alice);
    assertThat(one).isEqualTo(other);
    assertThat(one.schema())
        .isEqualTo(
            SchemaBuilder.struct()
                .optional()
                .field("id", Schema.OPTIONAL_INT64_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("rate", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field(
                    "tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
                .build());
    Struct struct = one.toStruct(alice);
    assertThat(struct.getInt64("id")).isEqualTo(1L);
    assertThat(struct.getString("name")).isEqualTo("Alice");
    assertThat(struct.get("rate")).isNull();
    assertThat(struct.get("tags")).isNull();
  }

  @Test
  void aRowAddingNothingKeepsTheSameInstance() {
    InferredRowSchema schema = InferredRowSchema.EMPTY.merge(row("id", 1L, "name", "A"));
    assertThat(schema.merge(row("id", 7L, "name", null))).isSameAs(schema);
    assertThat(schema.schema()).isSameAs(schema.schema());
  }

  @Test
  void fieldsSeenOnlyAsNullAreStringsUntilAValueTellsTheirType() {
    InferredRowSchema nulls = InferredRowSchema.EMPTY.merge(row("age", null));
    assertThat(nulls.schema().field("age").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    InferredRowSchema typed = nulls.merge(row("age", 40L));
    assertThat(typed.schema().field("age").schema()).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
  }

  @Test
  void integersWidenToDoublesAndNestedObjectsBecomeStructs() {
    InferredRowSchema schema =
        InferredRowSchema.EMPTY
            .merge(row("amount", 3L, "address", Map.of("city", "Oslo")))
            .merge(row("amount", 2.5, "address", Map.of("zip", 150L)));
    Struct struct = schema.toStruct(row("amount", 3L, "address", Map.of("city", "Oslo")));
    assertThat(struct.getFloat64("amount")).isEqualTo(3.0);
    assertThat(struct.getStruct("address").getString("city")).isEqualTo("Oslo");
    assertThat(struct.getStruct("address").get("zip")).isNull();
    assertThat(schema.schema().field("address").schema().fields())
        .extracting(f -> f.name())
        .containsExactly("city", "zip");
  }

  @Test
  void arraysOfRowsAndBytesConform() {
    Map<String, Object> row =
        row("items", Arrays.asList(Map.of("n", 1L), null), "blob", new byte[] {1, 2});
    InferredRowSchema schema = InferredRowSchema.EMPTY.merge(row);
    Struct struct = schema.toStruct(row);
    assertThat(struct.getArray("items")).hasSize(2);
    assertThat(((Struct) struct.getArray("items").get(0)).getInt64("n")).isEqualTo(1L);
    assertThat(struct.getBytes("blob")).containsExactly(1, 2);
  }

  @Test
  void typesThatDoNotMergeFailOnlyWhenASchemaIsNeeded() {
    InferredRowSchema schema =
        InferredRowSchema.EMPTY.merge(row("code", "A1")).merge(row("code", 7L));
    assertThatThrownBy(schema::schema)
        .isInstanceOf(DataException.class)
        .hasMessageContaining("different types");
  }
}
