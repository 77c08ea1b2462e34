package io.pgsnow.converter;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An unsynchronized byte sink that keeps its array between records, so that a record costs one copy
 * of its bytes; an array grown beyond {@code retained} by a large record is dropped again.
 */
final class ReusableByteOutput extends OutputStream {
  private final int initial;
  private final int retained;
  private byte[] buffer;
  private int count;

  ReusableByteOutput(int initial, int retained) {
    this.initial = initial;
    this.retained = retained;
    this.buffer = new byte[initial];
  }

  /** Empties the sink for the next record. */
  void reset() {
    count = 0;
    if (buffer.length > retained) {
      buffer = new byte[initial];
    }
  }

  @Override
  public void write(int b) {
    ensure(1);
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, count, length);
    count += length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, count);
  }

  private void ensure(int more) {
    if (count + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
    }
  }
}
