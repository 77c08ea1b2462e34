package io.pgsnow.converter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/** Every Connect type, each way it can be null, defaulted or malformed: one record per case. */
final class TypeTable {
  /** A record to convert: its schema (null for schemaless) and value. */
  record Case(String name, Schema schema, Object value) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final java.util.Date EPOCH_DAY_19000 = new java.util.Date(19_000L * 86_400_000L);
  private static final java.util.Date NOON = new java.util.Date(12L * 3_600_000L + 345);
  private static final java.util.Date INSTANT = new java.util.Date(1_640_317_836_271L);

  private TypeTable() {}

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    primitives(cases);
    floats(cases);
    strings(cases);
    bytes(cases);
    logicalTypes(cases);
    containers(cases);
    maps(cases);
    schemaless(cases);
    defaults(cases);
    malformed(cases);
    cases.addAll(ChangeEventShapes.cases());
    return cases;
  }

  private static void primitives(List<Case> cases) {
    add(cases, "int8", Schema.INT8_SCHEMA, (byte) -128);
    add(cases, "int16", Schema.INT16_SCHEMA, (short) 32767);
    add(cases, "int32", Schema.INT32_SCHEMA, Integer.MIN_VALUE);
    add(cases, "int64", Schema.INT64_SCHEMA, Long.MAX_VALUE);
    add(cases, "boolean", Schema.BOOLEAN_SCHEMA, false);
    add(cases, "string", Schema.STRING_SCHEMA, "text");
    add(cases, "optional int32 null", Schema.OPTIONAL_INT32_SCHEMA, null);
    add(cases, "optional string null", Schema.OPTIONAL_STRING_SCHEMA, null);
    add(cases, "optional boolean", Schema.OPTIONAL_BOOLEAN_SCHEMA, true);
    add(cases, "required int64 null", Schema.INT64_SCHEMA, null);
    add(cases, "no schema no value", null, null);
    add(
        cases,
        "named, versioned, documented, with parameters",
        SchemaBuilder.int32()
            .name("io.example.Count")
            .version(3)
            .doc("a \"doc\" with\nescapes")
            .parameter("b", "2")
            .parameter("a", "1")
            .build(),
        7);
  }

  private static void floats(List<Case> cases) {
    float[] floats = {
      0.1f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.POSITIVE_INFINITY, 1e10f
    };
    for (float f : floats) {
      add(cases, "float32 " + f, Schema.FLOAT32_SCHEMA, f);
    }
    double[] doubles = {
      0.1, -0.0, Double.MIN_VALUE, 1e20, 1e-7, 123456789.125, Double.NaN, Double.NEGATIVE_INFINITY
    };
    for (double d : doubles) {
      add(cases, "float64 " + d, Schema.FLOAT64_SCHEMA, d);
    }
  }

  private static void strings(List<Case> cases) {
    String[] strings = {
      "",
      "héllo wörld",
      "日本語テキスト",
      "emoji \uD83D\uDE00 and \uD83C\uDDE9\uD83C\uDDEA",
      "quotes \" and \\ backslashes / slashes",
      "control \u0000\u0001\u001f\t\n\r\b\f chars",
      "line separators \u2028\u2029 and \u007f\u0080\u00ff",
      "a lone surrogate \uD800 here",
      "<script>&amp;</script>"
    };
    for (String s : strings) {
      add(
          cases,
          "string " + Arrays.toString(s.getBytes(StandardCharsets.UTF_8)),
          Schema.STRING_SCHEMA,
          s);
    }
    add(cases, "a StringBuilder as string", Schema.STRING_SCHEMA, new StringBuilder("built"));
  }

  private static void bytes(List<Case> cases) {
    add(cases, "bytes", Schema.BYTES_SCHEMA, new byte[] {0, 1, 2, (byte) 0xff, 127, -128});
    add(cases, "empty bytes", Schema.BYTES_SCHEMA, new byte[0]);
    add(cases, "bytes of 1000", Schema.BYTES_SCHEMA, sequence(1000));
    ByteBuffer sliced = ByteBuffer.wrap(sequence(16));
    sliced.position(4);
    add(cases, "a ByteBuffer with a position", Schema.BYTES_SCHEMA, sliced);
    add(cases, "optional bytes null", Schema.OPTIONAL_BYTES_SCHEMA, null);
  }

  private static void logicalTypes(List<Case> cases) {
    add(cases, "decimal scale 2", Decimal.schema(2), new BigDecimal("12345.67"));
    add(cases, "decimal negative", Decimal.schema(2), new BigDecimal("-0.01"));
    add(cases, "decimal zero scale 2", Decimal.schema(2), new BigDecimal("0.00"));
    add(cases, "decimal scale 0", Decimal.schema(0), new BigDecimal("9999999999999999999"));
    add(
        cases,
        "decimal negative scale",
        Decimal.schema(-3),
        new BigDecimal(BigInteger.valueOf(42), -3));
    add(
        cases,
        "decimal large scale",
        Decimal.schema(30),
        new BigDecimal("0.000000000000000000000000000001"));
    add(
        cases,
        "decimal large value",
        Decimal.schema(9),
        new BigDecimal("-123456789012345678901234567890.123456789"));
    add(cases, "decimal with another scale", Decimal.schema(2), new BigDecimal("1.5"));
    add(cases, "decimal not a BigDecimal", Decimal.schema(2), 1.5);
    add(cases, "optional decimal null", Decimal.builder(2).optional().build(), null);
    add(cases, "date", Date.SCHEMA, EPOCH_DAY_19000);
    add(cases, "date with a time of day", Date.SCHEMA, NOON);
    add(cases, "time", Time.SCHEMA, NOON);
    add(cases, "timestamp", Timestamp.SCHEMA, INSTANT);
    add(cases, "timestamp before 1970", Timestamp.SCHEMA, new java.util.Date(-1_000_000_001L));
    add(cases, "timestamp as a long", Timestamp.SCHEMA, 5L);
    add(cases, "optional timestamp null", Timestamp.builder().optional().build(), null);
    add(
        cases,
        "a struct named like a logical type",
        SchemaBuilder.struct().name(Date.LOGICAL_NAME).field("a", Schema.INT32_SCHEMA).build(),
        null);
  }

  private static void containers(List<Case> cases) {
    Schema inner =
        SchemaBuilder.struct()
            .name("io.example.Inner")
            .field("id", Schema.INT64_SCHEMA)
            .field("label", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Schema outer =
        SchemaBuilder.struct()
            .name("io.example.Outer")
            .field("inner", inner)
            .field(
                "optional_inner",
                SchemaBuilder.struct().field("x", Schema.INT8_SCHEMA).optional().build())
            .field("list", SchemaBuilder.array(inner).build())
            .field("numbers", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
            .field(
                "nested",
                SchemaBuilder.array(SchemaBuilder.array(Schema.STRING_SCHEMA).build()).build())
            .build();
    Struct one = new Struct(inner).put("id", 1L).put("label", "one");
    Struct two = new Struct(inner).put("id", 2L);
    add(
        cases,
        "nested struct and arrays",
        outer,
        new Struct(outer)
            .put("inner", one)
            .put("list", List.of(one, two))
            .put("numbers", Arrays.asList(1, null, 3))
            .put("nested", List.of(List.of("a", "b"), List.of())));
    add(
        cases,
        "array of strings",
        SchemaBuilder.array(Schema.STRING_SCHEMA).build(),
        List.of("x", "y"));
    add(cases, "empty array", SchemaBuilder.array(Schema.INT64_SCHEMA).build(), List.of());
    add(
        cases,
        "array with a null in a required element",
        SchemaBuilder.array(Schema.INT64_SCHEMA).build(),
        Arrays.asList(1L, null));
    add(cases, "struct of another schema", outer, one);
    Schema equalInner =
        SchemaBuilder.struct()
            .name("io.example.Inner")
            .field("id", Schema.INT64_SCHEMA)
            .field("label", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    add(cases, "struct of an equal schema instance", equalInner, one);
    SchemaBuilder unbuilt = SchemaBuilder.struct().field("a", Schema.OPTIONAL_STRING_SCHEMA);
    add(cases, "a SchemaBuilder as the schema", unbuilt, new Struct(unbuilt).put("a", "b"));
  }

  private static void maps(List<Case> cases) {
    Map<String, Integer> byName = new LinkedHashMap<>();
    byName.put("b", 2);
    byName.put("a", null);
    byName.put("é\"", 3);
    add(
        cases,
        "map string to optional int",
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).build(),
        byName);
    Map<Integer, String> byNumber = new TreeMap<>();
    byNumber.put(3, "three");
    byNumber.put(-1, "minus one");
    add(
        cases,
        "map int to string",
        SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(),
        byNumber);
    Schema key = SchemaBuilder.struct().field("k", Schema.STRING_SCHEMA).build();
    add(
        cases,
        "map struct to decimal",
        SchemaBuilder.map(key, Decimal.schema(1)).build(),
        Map.of(new Struct(key).put("k", "x"), new BigDecimal("1.5")));
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "value of null");
    nullKey.put("k", "v");
    add(
        cases,
        "map with a null key",
        SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA).build(),
        nullKey);
    Map<String, String> nullKeyDefault = new HashMap<>(nullKey);
    add(
        cases,
        "map with a null key and a key default",
        SchemaBuilder.map(
                SchemaBuilder.string().optional().defaultValue("k").build(), Schema.STRING_SCHEMA)
            .build(),
        nullKeyDefault);
    Map<CharSequence, String> builderKeys = new LinkedHashMap<>();
    builderKeys.put(new StringBuilder("same"), "1");
    builderKeys.put(new StringBuilder("same"), "2");
    add(
        cases,
        "map with equal CharSequence keys",
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build(),
        builderKeys);
    add(
        cases,
        "empty map",
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build(),
        Map.of());
  }

  private static void schemaless(List<Case> cases) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", 1L);
    doc.put("name", "x");
    doc.put("flag", true);
    doc.put("ratio", 0.5);
    doc.put("small", (short) 3);
    doc.put("bytes", new byte[] {1, 2});
    doc.put("nothing", null);
    doc.put("list", Arrays.asList(1, "two", null, List.of()));
    doc.put("nested", Map.of("k", 1));
    add(cases, "schemaless map", null, doc);
    Map<Object, Object> mixed = new LinkedHashMap<>();
    mixed.put(1, "int key");
    mixed.put("s", null);
    mixed.put(null, 2);
    add(cases, "schemaless map with mixed keys", null, mixed);
    add(cases, "schemaless string", null, "plain");
    add(cases, "schemaless long", null, 42L);
    add(cases, "schemaless list", null, List.of(1L, 2L));
    add(cases, "schemaless decimal", null, new BigDecimal("1.0"));
    add(
        cases,
        "schemaless struct",
        null,
        new Struct(SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build()).put("a", 1));
  }

  private static void defaults(List<Case> cases) {
    Schema withDefaults =
        SchemaBuilder.struct()
            .field("n", SchemaBuilder.int32().optional().defaultValue(7).build())
            .field("s", SchemaBuilder.string().defaultValue("dflt").build())
            .field("d", Decimal.builder(2).optional().defaultValue(new BigDecimal("3.14")).build())
            .field("t", Timestamp.builder().optional().defaultValue(INSTANT).build())
            .field("b", SchemaBuilder.bytes().optional().defaultValue(new byte[] {9}).build())
            .field(
                "l",
                SchemaBuilder.array(Schema.INT32_SCHEMA)
                    .optional()
                    .defaultValue(List.of(1, 2))
                    .build())
            .build();
    add(cases, "null fields with defaults", withDefaults, new Struct(withDefaults));
    add(
        cases,
        "set fields with defaults",
        withDefaults,
        new Struct(withDefaults)
            .put("n", 1)
            .put("s", "set")
            .put("d", new BigDecimal("0.01"))
            .put("t", NOON)
            .put("b", new byte[] {1})
            .put("l", List.of()));
    Schema mapDefault =
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
            .optional()
            .defaultValue(Map.of("k", 1))
            .build();
    add(cases, "a map default", mapDefault, null);
    add(
        cases,
        "top-level null with a default",
        SchemaBuilder.int64().defaultValue(9L).build(),
        null);
  }

  private static void malformed(List<Case> cases) {
    add(cases, "int32 schema with a string", Schema.INT32_SCHEMA, "1");
    add(cases, "string schema with an int", Schema.STRING_SCHEMA, 1);
    add(cases, "bytes schema with a string", Schema.BYTES_SCHEMA, "x");
    add(
        cases,
        "array schema with a map",
        SchemaBuilder.array(Schema.INT32_SCHEMA).build(),
        Map.of());
    add(cases, "date with a long", Date.SCHEMA, 1L);
  }

  private static byte[] sequence(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    return bytes;
  }

  private static void add(List<Case> cases, String name, Schema schema, Object value) {
    cases.add(new Case(name, schema, value));
  }
}
