package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class TableRecordDecoderTest {
  private static final Schema KEY =
      SchemaBuilder.struct()
          .field("tenant", Schema.STRING_SCHEMA)
          .field("id", Schema.INT32_SCHEMA)
          .build();

  @Test
  void keysFromStructsMapsAndPrimitives() {
    TableRecordDecoder all = new TableRecordDecoder(List.of());
    Struct key = new Struct(KEY).put("tenant", "a").put("id", 7);
    assertThat(all.key(key)).isEqualTo(LookupKey.of("a", 7L));
    assertThat(all.key(Map.of("id", 7L))).isEqualTo(LookupKey.of(7));
    assertThat(all.key(7)).isEqualTo(LookupKey.of(7L));
    assertThatThrownBy(() -> all.key(Map.of("a", 1, "b", 2))).isInstanceOf(DataException.class);
    assertThatThrownBy(() -> all.key(null)).isInstanceOf(DataException.class);

    TableRecordDecoder byId = new TableRecordDecoder(List.of("id"));
    assertThat(byId.key(key)).isEqualTo(LookupKey.of(7));
    assertThat(byId.key(Map.of("id", 7, "tenant", "a"))).isEqualTo(LookupKey.of(7));
  }

  @Test
  void rowsFromEnvelopesRowsAndRewrittenDeletes() {
    TableRecordDecoder decoder = new TableRecordDecoder(List.of());
    Map<String, Object> row = Map.of("id", 1);
    java.util.HashMap<String, Object> envelope = new java.util.HashMap<>();
    envelope.put("op", "d");
    envelope.put("before", row);
    envelope.put("after", null);
    assertThat(decoder.row(envelope)).isNull();
    assertThat(decoder.row(Map.of("op", "c", "after", row))).isEqualTo(row);
    assertThat(decoder.row(row)).isEqualTo(row);
    assertThat(decoder.row(null)).isNull();
    assertThat(decoder.row(Map.of("id", 1, "__deleted", "true"))).isNull();
    assertThat(decoder.row(Map.of("id", 1, "__deleted", "false"))).isNotNull();
  }
}
