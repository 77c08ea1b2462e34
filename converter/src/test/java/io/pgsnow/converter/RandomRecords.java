package io.pgsnow.converter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/** Random schemas (nested up to a depth) and values that fit them, from a seeded generator. */
final class RandomRecords {
  private static final int TYPES = 16;
  private final Random random;
  private int names;

  RandomRecords(long seed) {
    this.random = new Random(seed);
  }

  Schema schema(int depth) {
    int kind = random.nextInt(depth <= 0 ? 12 : TYPES);
    SchemaBuilder builder = builder(kind, depth);
    if (random.nextInt(3) == 0) {
      builder.optional();
    }
    if (random.nextInt(8) == 0 && kind < 12) {
      builder.defaultValue(value(builder.build(), 0, false));
    }
    if (random.nextInt(10) == 0) {
      builder.doc("doc " + random.nextInt(100));
    }
    return builder.build();
  }

  private SchemaBuilder builder(int kind, int depth) {
    return switch (kind) {
      case 0 -> SchemaBuilder.int8();
      case 1 -> SchemaBuilder.int16();
      case 2 -> SchemaBuilder.int32();
      case 3 -> SchemaBuilder.int64();
      case 4 -> SchemaBuilder.float32();
      case 5 -> SchemaBuilder.float64();
      case 6 -> SchemaBuilder.bool();
      case 7 -> SchemaBuilder.string();
      case 8 -> SchemaBuilder.bytes();
      case 9 -> Decimal.builder(random.nextInt(40) - 5);
      case 10 -> random.nextBoolean() ? Timestamp.builder() : Date.builder();
      case 11 -> Time.builder();
      case 12 -> SchemaBuilder.array(schema(depth - 1));
      case 13 ->
          SchemaBuilder.map(
              random.nextBoolean() ? Schema.STRING_SCHEMA : schema(depth - 1), schema(depth - 1));
      default -> struct(depth);
    };
  }

  private SchemaBuilder struct(int depth) {
    SchemaBuilder struct = SchemaBuilder.struct().name("io.example.S" + names++);
    int fields = 1 + random.nextInt(8);
    for (int i = 0; i < fields; i++) {
      struct.field("f" + i + text(3), schema(depth - 1));
    }
    return struct;
  }

  /** A value for the schema; null (where allowed) now and then when {@code nulls}. */
  Object value(Schema schema, int depth, boolean nulls) {
    if (nulls && schema.isOptional() && random.nextInt(5) == 0) {
      return null;
    }
    Object logical = schema.name() == null ? null : logicalValue(schema);
    if (logical != null) {
      return logical;
    }
    return switch (schema.type()) {
      case INT8 -> (byte) random.nextInt();
      case INT16 -> (short) random.nextInt();
      case INT32 -> random.nextInt();
      case INT64 -> random.nextLong();
      case FLOAT32 -> random.nextInt(20) == 0 ? Float.NaN : Float.intBitsToFloat(random.nextInt());
      case FLOAT64 ->
          random.nextInt(20) == 0 ? Double.NEGATIVE_INFINITY : random.nextGaussian() * 1e6;
      case BOOLEAN -> random.nextBoolean();
      case STRING -> text(random.nextInt(30));
      case BYTES -> bytes(random.nextInt(40));
      case ARRAY -> list(schema, depth, nulls);
      case MAP -> map(schema, depth, nulls);
      case STRUCT -> struct(schema, depth, nulls);
    };
  }

  /** A value of the logical type the schema is named for, or null if it is named otherwise. */
  private Object logicalValue(Schema schema) {
    return switch (schema.name()) {
      case Decimal.LOGICAL_NAME -> {
        int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
        yield new BigDecimal(new BigInteger(random.nextInt(200), random), scale)
            .multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1));
      }
      case Date.LOGICAL_NAME -> new java.util.Date((random.nextInt(40_000) - 20_000) * 86_400_000L);
      case Time.LOGICAL_NAME -> new java.util.Date(random.nextInt(86_400_000));
      case Timestamp.LOGICAL_NAME -> new java.util.Date(random.nextLong() >> 20);
      default -> null;
    };
  }

  private List<Object> list(Schema schema, int depth, boolean nulls) {
    List<Object> list = new ArrayList<>();
    int size = random.nextInt(5);
    for (int i = 0; i < size; i++) {
      list.add(value(schema.valueSchema(), depth + 1, nulls));
    }
    return list;
  }

  private Map<Object, Object> map(Schema schema, int depth, boolean nulls) {
    Map<Object, Object> map = new LinkedHashMap<>();
    int size = random.nextInt(5);
    for (int i = 0; i < size; i++) {
      map.put(
          value(schema.keySchema(), depth + 1, false),
          value(schema.valueSchema(), depth + 1, nulls));
    }
    return map;
  }

  private Struct struct(Schema schema, int depth, boolean nulls) {
    Struct struct = new Struct(schema);
    for (Field field : schema.fields()) {
      struct.put(field, value(field.schema(), depth + 1, nulls));
    }
    return struct;
  }

  /** Text from ASCII, Latin, CJK, emoji, controls and quotes. */
  String text(int length) {
    String[] pieces = {
      "a", "Z", "0", " ", "é", "ß", "日", "\uD83D\uDE00", "\n", "\u0001", "\"", "\\", "/", "\u2028"
    };
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(pieces[random.nextInt(pieces.length)]);
    }
    return text.toString();
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
