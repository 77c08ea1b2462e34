package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlattenTest {
  private static final Schema ADDRESS =
      SchemaBuilder.struct()
          .name("Address")
          .optional()
          .field("city", Schema.STRING_SCHEMA)
          .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema PERSON =
      SchemaBuilder.struct()
          .name("Person")
          .field("id", Schema.INT32_SCHEMA)
          .field("address", ADDRESS)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
          .build();

  private Flatten<SinkRecord> flatten = new Flatten.Value<>();

  @AfterEach
  void close() {
    flatten.close();
  }

  private static Struct person(Struct address) {
    return new Struct(PERSON)
        .put("id", 7)
        .put("address", address)
        .put("tags", List.of("a", "b"))
        .put("attrs", Map.of("k", 1));
  }

  private static SinkRecord record(Schema schema, Object value) {
    return new SinkRecord("t", 0, null, "key", schema, value, 3);
  }

  @Test
  void flattensNestedStructsWithTheDefaultDelimiter() {
    flatten.configure(Map.of());
    Struct address = new Struct(ADDRESS).put("city", "Lima").put("zip", "15001");
    SinkRecord out = flatten.apply(record(PERSON, person(address)));
    Struct value = (Struct) out.value();
    assertThat(value.getString("address_city")).isEqualTo("Lima");
    assertThat(value.getString("address_zip")).isEqualTo("15001");
    assertThat(value.getArray("tags")).containsExactly("a", "b");
    assertThat(value.getMap("attrs")).containsEntry("k", 1);
    assertThat(out.valueSchema().name()).isEqualTo("Person");
    assertThat(out.key()).isEqualTo("key");
    // city is required inside an optional struct: flattened it must accept null.
    assertThat(out.valueSchema().field("address_city").schema().isOptional()).isTrue();
  }

  @Test
  void nullOptionalStructGivesNullChildren() {
    flatten.configure(Map.of(FlattenConfig.DELIMITER, "."));
    Struct value = (Struct) flatten.apply(record(PERSON, person(null))).value();
    assertThat(value.get("address.city")).isNull();
    assertThat(value.getInt32("id")).isEqualTo(7);
  }

  @Test
  void writesArraysAndMapsAsJsonWhenAsked() {
    flatten.configure(Map.of(FlattenConfig.ARRAY_MODE, "json", FlattenConfig.MAP_MODE, "json"));
    Struct value = (Struct) flatten.apply(record(PERSON, person(null))).value();
    assertThat(value.getString("tags")).isEqualTo("[\"a\",\"b\"]");
    assertThat(value.getString("attrs")).isEqualTo("{\"k\":1}");
    assertThat(value.schema().field("tags").schema().type()).isEqualTo(Schema.Type.STRING);
  }

  @Test
  void flattensSchemalessMapsWithoutThrowing() {
    flatten.configure(Map.of(FlattenConfig.ARRAY_MODE, "json"));
    Map<String, Object> address = new LinkedHashMap<>();
    address.put("city", "Lima");
    address.put("geo", Map.of("lat", 1.5));
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("id", 7L);
    value.put("address", address);
    value.put("tags", List.of("a", 1));
    value.put("nothing", null);
    Map<Object, Object> out = (Map<Object, Object>) flatten.apply(record(null, value)).value();
    assertThat(out)
        .containsEntry("id", 7L)
        .containsEntry("address_city", "Lima")
        .containsEntry("address_geo_lat", 1.5)
        .containsEntry("tags", "[\"a\",1]")
        .containsEntry("nothing", null);
  }

  @Test
  void keepsSchemalessArraysByDefault() {
    flatten.configure(Map.of());
    Map<Object, Object> out =
        (Map<Object, Object>) flatten.apply(record(null, Map.of("tags", List.of(1, 2)))).value();
    assertThat(out.get("tags")).isEqualTo(List.of(1, 2));
  }

  @Test
  void passesTombstonesAndPrimitives() {
    flatten.configure(Map.of());
    SinkRecord tombstone = record(PERSON, null);
    assertThat(flatten.apply(tombstone)).isSameAs(tombstone);
    SinkRecord text = record(Schema.STRING_SCHEMA, "x");
    assertThat(flatten.apply(text)).isSameAs(text);
  }

  @Test
  void cachesDerivedSchemasAndFollowsSchemaChanges() {
    flatten.configure(Map.of());
    Schema first = flatten.apply(record(PERSON, person(null))).valueSchema();
    assertThat(flatten.apply(record(PERSON, person(null))).valueSchema()).isSameAs(first);
    Schema wider =
        SchemaBuilder.struct()
            .name("Person")
            .field("id", Schema.INT32_SCHEMA)
            .field("address", ADDRESS)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct widerValue =
        new Struct(wider)
            .put("id", 1)
            .put("tags", List.of())
            .put("attrs", Map.of())
            .put("email", "x@y");
    Struct out = (Struct) flatten.apply(record(wider, widerValue)).value();
    assertThat(out.getString("email")).isEqualTo("x@y");
    assertThat(flatten.cachedSchemas()).isEqualTo(2);
  }

  @Test
  void keyVariantFlattensTheKey() {
    flatten = new Flatten.Key<>();
    flatten.configure(Map.of());
    SinkRecord in = new SinkRecord("t", 0, PERSON, person(null), null, "v", 0);
    SinkRecord out = flatten.apply(in);
    assertThat(out.keySchema().field("address_city")).isNotNull();
    assertThat(out.value()).isEqualTo("v");
    Map<Object, Object> key =
        (Map<Object, Object>)
            flatten
                .apply(new SinkRecord("t", 0, null, Map.of("a", Map.of("b", 1)), null, "v", 0))
                .key();
    assertThat(key).containsEntry("a_b", 1);
  }
}
