package io.pgsnow.smt;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Text forms of Connect values: plain text for computed string fields and compact JSON for arrays
 * and maps that a sink cannot take as columns. Written here instead of pulling Jackson into the
 * plugin, since the value model is small and closed.
 */
public final class ValueText {
  private ValueText() {}

  /** Text of a scalar as a person would write it: decimals without exponent, dates in ISO-8601. */
  public static String plain(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Date d) {
      return d.toInstant().toString();
    }
    if (value instanceof byte[] || value instanceof ByteBuffer) {
      return Base64.getEncoder().encodeToString(bytes(value));
    }
    if (value instanceof Struct || value instanceof Map || value instanceof Collection) {
      return json(value);
    }
    return value.toString();
  }

  /** Compact JSON of any Connect value. */
  public static String json(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // JSON has no NaN or Infinity: write them as strings rather than emit invalid JSON.
      if (Double.isFinite(d)) {
        out.append(value);
      } else {
        quote(out, value.toString());
      }
    } else if (value instanceof BigDecimal d) {
      out.append(d.toPlainString());
    } else if (value instanceof Struct struct) {
      appendStruct(out, struct);
    } else if (value instanceof Map<?, ?> map) {
      appendMap(out, map);
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        out.append(first ? "" : ",");
        first = false;
        append(out, item);
      }
      out.append(']');
    } else {
      quote(out, plain(value));
    }
  }

  private static void appendStruct(StringBuilder out, Struct struct) {
    out.append('{');
    boolean first = true;
    for (Field field : struct.schema().fields()) {
      out.append(first ? "" : ",");
      first = false;
      quote(out, field.name());
      out.append(':');
      append(out, struct.get(field));
    }
    out.append('}');
  }

  private static void appendMap(StringBuilder out, Map<?, ?> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.append(first ? "" : ",");
      first = false;
      quote(out, String.valueOf(entry.getKey()));
      out.append(':');
      append(out, entry.getValue());
    }
    out.append('}');
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] b) {
      return b;
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }
}
