package io.pgsnow.source.decoding;

import java.nio.charset.StandardCharsets;

/**
 * The column values of one row as pgoutput sends them: per column a kind (null, unchanged TOAST
 * value, text or binary) and the raw bytes. Values stay bytes until a column is converted.
 */
public final class TupleData {
  public static final byte NULL = 'n';
  public static final byte UNCHANGED_TOAST = 'u';
  public static final byte TEXT = 't';
  public static final byte BINARY = 'b';

  private final byte[] kinds;
  private final byte[][] values;

  public TupleData(byte[] kinds, byte[][] values) {
    this.kinds = kinds;
    this.values = values;
  }

  public int size() {
    return kinds.length;
  }

  /** The bytes this row holds: its values and one kind byte per column. */
  public long byteSize() {
    long bytes = kinds.length;
    for (byte[] v : values) {
      bytes += v == null ? 0 : v.length;
    }
    return bytes;
  }

  public byte kind(int column) {
    return kinds[column];
  }

  public boolean isNull(int column) {
    return kinds[column] == NULL;
  }

  public boolean isUnchangedToast(int column) {
    return kinds[column] == UNCHANGED_TOAST;
  }

  public byte[] bytes(int column) {
    return values[column];
  }

  /** The text form of a column, or null for a null or unchanged value. */
  public String text(int column) {
    byte[] v = values[column];
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }
}
