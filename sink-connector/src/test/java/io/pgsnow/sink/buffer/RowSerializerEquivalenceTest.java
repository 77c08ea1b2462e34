package io.pgsnow.sink.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The streamed row writer gives byte for byte the rows (and, schematized, the columns) of the
 * tree-based writer it replaced, and refuses the same records with the same message, over Connect
 * schemas and values of every type, schemaless data, keys, headers and metadata settings.
 */
class RowSerializerEquivalenceTest {

  private static final Schema JSON_TEXT =
      SchemaBuilder.string().name(ConnectJson.JSON_LOGICAL_TYPE).optional().build();

  private static final Schema ADDRESS =
      SchemaBuilder.struct()
          .name("address")
          .optional()
          .field("street", Schema.OPTIONAL_STRING_SCHEMA)
          .field("zip", Schema.OPTIONAL_INT32_SCHEMA)
          .build();

  private static final Schema ALL_TYPES =
      SchemaBuilder.struct()
          .name("all")
          .field("i8", Schema.OPTIONAL_INT8_SCHEMA)
          .field("i16", Schema.OPTIONAL_INT16_SCHEMA)
          .field("i32", Schema.OPTIONAL_INT32_SCHEMA)
          .field("i64", Schema.OPTIONAL_INT64_SCHEMA)
          .field("f32", Schema.OPTIONAL_FLOAT32_SCHEMA)
          .field("f64", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("text", Schema.OPTIONAL_STRING_SCHEMA)
          .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("amount", Decimal.builder(2).optional().build())
          .field("big", Decimal.builder(0).optional().build())
          .field("day", Date.builder().optional().build())
          .field("clock", Time.builder().optional().build())
          .field("at", Timestamp.builder().optional().build())
          .field("doc", JSON_TEXT)
          .field("address", ADDRESS)
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field("grid", SchemaBuilder.array(SchemaBuilder.array(Schema.FLOAT64_SCHEMA)).optional())
          .field("homes", SchemaBuilder.array(ADDRESS).optional().build())
          .field("scores", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA))
          .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, ADDRESS).optional().build())
          .field("defaulted", SchemaBuilder.int32().defaultValue(42).build())
          .build();

  private static final List<MetadataFields> METADATA =
      List.of(
          MetadataFields.ALL,
          new MetadataFields(true, false, true, true),
          new MetadataFields(true, true, false, false),
          new MetadataFields(true, false, false, false),
          new MetadataFields(false, true, true, true));

  @Test
  void streamedRowsEqualTheTreeRows() {
    List<SinkRecord> records = records();
    int compared = 0;
    for (boolean schematized : new boolean[] {false, true}) {
      for (MetadataFields metadata : METADATA) {
        TreeRowSerializer tree = new TreeRowSerializer(metadata, schematized);
        RowSerializer streamed = new RowSerializer(metadata, schematized);
        for (SinkRecord record : records) {
          assertSame(tree, streamed, record, schematized + " " + metadata + " " + record);
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(records.size() * 2 * METADATA.size());
  }

  @Test
  void refusalsAreTheSame() {
    Schema reservedStruct =
        SchemaBuilder.struct().field("record_metadata", Schema.INT32_SCHEMA).build();
    Schema docOnly = SchemaBuilder.struct().field("doc", JSON_TEXT).build();
    List<SinkRecord> bad =
        List.of(
            record(reservedStruct, new Struct(reservedStruct).put("record_metadata", 1)),
            record(null, Map.of("Record_Metadata", 1)),
            record(JSON_TEXT, "{\"RECORD_METADATA\":1}"),
            record(docOnly, new Struct(docOnly).put("doc", "{\"a\":")),
            record(JSON_TEXT, "[1] 2"),
            record(JSON_TEXT, ""),
            record(null, new String(new char[RowSerializer.MAX_VARIANT_BYTES]).replace('\0', 'x')));
    int refused = 0;
    for (boolean schematized : new boolean[] {false, true}) {
      TreeRowSerializer tree = new TreeRowSerializer(MetadataFields.ALL, schematized);
      RowSerializer streamed = new RowSerializer(MetadataFields.ALL, schematized);
      for (SinkRecord record : bad) {
        refused += assertSame(tree, streamed, record, schematized + " " + record.valueSchema());
      }
    }
    assertThat(refused).isGreaterThanOrEqualTo(9);
  }

  /** Returns 1 when both refused the record as a bad record. */
  private static int assertSame(
      TreeRowSerializer tree, RowSerializer streamed, SinkRecord record, String what) {
    TreeRowSerializer.Row expected;
    try {
      expected = tree.row(record);
    } catch (RuntimeException e) {
      assertThat(refusal(() -> streamed.row(record))).as(what).isEqualTo(e.toString());
      return e instanceof DataException ? 1 : 0;
    }
    RowSerializer.Row actual = streamed.row(record);
    assertThat(new String(actual.bytes(), StandardCharsets.UTF_8))
        .as(what)
        .isEqualTo(new String(expected.bytes(), StandardCharsets.UTF_8));
    assertThat(actual.bytes()).as(what).isEqualTo(expected.bytes());
    assertThat(actual.columns()).as(what).isEqualTo(expected.columns());
    return 0;
  }

  private static String refusal(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e.toString();
    }
    return "no exception";
  }

  private static List<SinkRecord> records() {
    List<SinkRecord> records = new ArrayList<>();
    records.add(record(ALL_TYPES, allTypes(0)));
    records.add(record(ALL_TYPES, allTypes(1)));
    records.add(record(ALL_TYPES, new Struct(ALL_TYPES)));
    Random random = new Random(17);
    for (int i = 0; i < 300; i++) {
      records.add(record(ALL_TYPES, randomStruct(random)));
      records.add(record(null, randomMap(random, 3)));
    }
    for (Object scalar : scalars()) {
      records.add(record(null, scalar));
      records.add(record(null, Collections.singletonMap("v", scalar)));
      records.add(record(null, Collections.singletonList(scalar)));
    }
    records.add(record(null, null));
    records.add(record(ALL_TYPES, null));
    records.add(record(Schema.OPTIONAL_STRING_SCHEMA, "[1, 2]"));
    records.add(
        record(
            JSON_TEXT, "{\"a\":1,\"a\":2,\"b\":1.50,\"c\":1e400,\"d\":123456789012345678901234}"));
    records.add(record(JSON_TEXT, "[{\"x\":null},true,\"s\"]"));
    records.add(record(JSON_TEXT, "42"));
    records.add(
        record(
            SchemaBuilder.map(Schema.STRING_SCHEMA, JSON_TEXT).build(),
            Map.of("j", "{\"k\":[1]}")));
    records.add(record(SchemaBuilder.array(Schema.INT64_SCHEMA).build(), List.of(1L, 2L)));
    records.add(record(Schema.BYTES_SCHEMA, new byte[] {1, 2, 3}));
    Map<Object, Object> clashing = new LinkedHashMap<>();
    clashing.put("1", "text one");
    clashing.put(2, "two");
    clashing.put(1, "number one");
    clashing.put(null, "null key");
    records.add(record(null, clashing));
    records.add(record(null, Map.of("nested", clashing)));
    Struct noSchema = allTypes(2);
    records.add(record(null, noSchema));
    records.add(record(ADDRESS, noSchema));
    return records;
  }

  private static List<Object> scalars() {
    return Arrays.asList(
        null,
        "",
        "plain",
        "quote \" backslash \\ tab \t newline \n nul \u0000 \u001f del \u007f",
        "unicode é ß 中文 😀 \u2028",
        "\ud800 lone surrogate",
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Integer.MIN_VALUE,
        (short) -7,
        (byte) 5,
        BigInteger.TEN.pow(30),
        true,
        0.0,
        -0.0,
        1.1,
        1e-10,
        1e300,
        Double.MIN_VALUE,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        1.1f,
        -0.0f,
        3.4e38f,
        Float.NaN,
        Float.NEGATIVE_INFINITY,
        new BigDecimal("1.500"),
        new BigDecimal("0E-5"),
        new BigDecimal("1E+3"),
        new BigDecimal("-123456789012345678901234567890.123456789"),
        new BigDecimal("100"),
        new byte[0],
        new byte[] {0, -1, 127, -128, 42},
        ByteBuffer.wrap(new byte[] {9, 8, 7, 6}, 1, 2),
        new java.util.Date(1_700_000_000_123L),
        new java.util.Date(-86_400_000L),
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
        'c',
        List.of(),
        Map.of());
  }

  private static Struct allTypes(int n) {
    Struct address = new Struct(ADDRESS).put("street", "Harbour Road " + n).put("zip", 1000 + n);
    Map<String, Long> scores = new LinkedHashMap<>();
    scores.put("a", 1L);
    scores.put("b", null);
    Map<Integer, Struct> byId = new LinkedHashMap<>();
    byId.put(7, address);
    byId.put(8, null);
    return new Struct(ALL_TYPES)
        .put("i8", (byte) -n)
        .put("i16", (short) 300)
        .put("i32", 70_000 + n)
        .put("i64", 1L << 40)
        .put("f32", n == 0 ? Float.NaN : 2.5f)
        .put("f64", n == 0 ? Double.NEGATIVE_INFINITY : 0.1)
        .put("flag", n == 0)
        .put("text", "text \"" + n + "\"")
        .put("blob", n == 0 ? new byte[] {1, 2, 3, -1} : ByteBuffer.wrap(new byte[] {5, 6}))
        .put("amount", new BigDecimal("12.30"))
        .put("big", new BigDecimal("123456789012345678901234567890"))
        .put("day", new java.util.Date(19_000L * 86_400_000L))
        .put("clock", new java.util.Date(45_296_789L))
        .put("at", new java.util.Date(1_700_000_000_123L))
        .put("doc", n == 0 ? "{\"k\": [1, 2.50, {\"z\": null}]}" : "\"just text\"")
        .put("address", address)
        .put("tags", Arrays.asList("x", null, "z"))
        .put("grid", List.of(List.of(1.0, 2.5), List.of()))
        .put("homes", Arrays.asList(address, null))
        .put("scores", scores)
        .put("byId", byId);
  }

  private static Struct randomStruct(Random random) {
    Struct s = new Struct(ALL_TYPES);
    List<Consumer<Struct>> fields =
        List.of(
            t -> t.put("i8", (byte) random.nextInt()),
            t -> t.put("i64", random.nextLong()),
            t -> t.put("f32", Float.intBitsToFloat(random.nextInt())),
            t -> t.put("f64", Double.longBitsToDouble(random.nextLong())),
            t -> t.put("text", randomText(random)),
            t -> t.put("blob", randomBytes(random)),
            t -> t.put("amount", BigDecimal.valueOf(random.nextLong(), 2)),
            t -> t.put("big", new BigDecimal(new BigInteger(100, random))),
            t -> t.put("at", new java.util.Date(random.nextLong() % 253_402_300_799_000L)),
            t -> t.put("day", new java.util.Date(random.nextInt(100_000) * 86_400_000L)),
            t -> t.put("clock", new java.util.Date(random.nextInt(86_400_000))),
            t -> t.put("grid", List.of(List.of(random.nextDouble() * 1e6, random.nextGaussian()))));
    for (Consumer<Struct> field : fields) {
      if (random.nextBoolean()) {
        field.accept(s);
      }
    }
    s.put("scores", Map.of(randomText(random), random.nextLong()));
    return s;
  }

  private static byte[] randomBytes(Random random) {
    byte[] blob = new byte[random.nextInt(40)];
    random.nextBytes(blob);
    return blob;
  }

  private static Map<String, Object> randomMap(Random random, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    int fields = random.nextInt(6);
    for (int i = 0; i < fields; i++) {
      String key = random.nextInt(4) == 0 ? randomText(random) : "f" + random.nextInt(10);
      map.put(key, randomValue(random, depth));
    }
    return map;
  }

  private static Object randomValue(Random random, int depth) {
    return switch (random.nextInt(depth > 0 ? 12 : 10)) {
      case 0 -> null;
      case 1 -> random.nextLong();
      case 2 -> random.nextInt();
      case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      case 4 -> random.nextFloat();
      case 5 -> random.nextBoolean();
      case 6 -> randomText(random);
      case 7 -> BigDecimal.valueOf(random.nextLong(), random.nextInt(20) - 5);
      case 8 -> new byte[] {(byte) random.nextInt()};
      case 9 -> new java.util.Date(random.nextLong() % 1_000_000_000_000_000L);
      case 10 -> randomMap(random, depth - 1);
      default -> Arrays.asList(randomValue(random, depth - 1), randomValue(random, depth - 1));
    };
  }

  private static String randomText(Random random) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append((char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0xFFFF)));
    }
    return b.toString();
  }

  private static SinkRecord record(Schema schema, Object value) {
    return withKeyAndHeaders(schema, value, new Random(value == null ? 0 : value.hashCode()));
  }

  private static SinkRecord withKeyAndHeaders(Schema schema, Object value, Random random) {
    int variant = random.nextInt(5);
    Schema keySchema = variant == 1 ? ADDRESS : variant == 2 ? Schema.STRING_SCHEMA : null;
    Object key =
        switch (variant) {
          case 1 -> new Struct(ADDRESS).put("street", "k");
          case 2 -> "key";
          case 3 -> Map.of("id", 7L);
          default -> null;
        };
    TimestampType[] types = TimestampType.values();
    TimestampType type = types[random.nextInt(types.length)];
    Long timestamp = random.nextInt(4) == 0 ? null : 1_700_000_000_000L;
    ConnectHeaders headers = new ConnectHeaders();
    if (variant != 0) {
      headers.addString("h", "v");
      headers.addInt("n", 3);
      headers.add("s", new Struct(ADDRESS).put("zip", 1), ADDRESS);
      headers.add("nothing", null, null);
      if (variant == 4) {
        headers.addString("h", "again");
        headers.addBytes("b", new byte[] {1});
      }
    }
    return new SinkRecord(
        "topic-" + variant,
        variant,
        keySchema,
        key,
        schema,
        value,
        100 + variant,
        timestamp,
        type,
        headers);
  }
}
