package io.pgsnow.smt.lookup;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A rough estimate of the heap a row holds, for the memory bound of a topic table. It counts object
 * headers and payloads approximately; it is a budget, not a measurement.
 */
final class RowSize {
  private static final int OBJECT = 16;
  private static final int REFERENCE = 8;

  private RowSize() {}

  static long estimate(Object value) {
    if (value instanceof Struct || value instanceof Map || value instanceof Collection) {
      return estimateContainer(value);
    }
    if (value == null) {
      return 0;
    }
    if (value instanceof String s) {
      return OBJECT + 24 + s.length();
    }
    if (value instanceof byte[] b) {
      return OBJECT + b.length;
    }
    if (value instanceof ByteBuffer b) {
      return OBJECT + 32 + b.remaining();
    }
    return OBJECT + 8;
  }

  private static long estimateContainer(Object value) {
    if (value instanceof Struct struct) {
      long size = OBJECT * 2 + (long) REFERENCE * struct.schema().fields().size();
      for (Field field : struct.schema().fields()) {
        size += estimate(struct.get(field));
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = OBJECT * 3;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += 32 + estimate(entry.getKey()) + estimate(entry.getValue());
      }
      return size;
    }
    if (value instanceof Collection<?> list) {
      long size = OBJECT * 2;
      for (Object item : list) {
        size += REFERENCE + estimate(item);
      }
      return size;
    }
    return 0;
  }
}
