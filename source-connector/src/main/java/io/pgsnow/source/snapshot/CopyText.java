package io.pgsnow.source.snapshot;

import io.pgsnow.source.decoding.TupleData;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Parses one row of {@code COPY … TO STDOUT} text format into the {@link TupleData} the pgoutput
 * decoder produces: both carry each value in its type's output-function text, so a snapshot row
 * goes through exactly the conversion a streamed row does.
 */
public final class CopyText {
  private static final byte[] EMPTY = new byte[0];

  private CopyText() {}

  /** A row as COPY sends it (tab-separated, {@code \N} for null, trailing newline optional). */
  public static TupleData parse(byte[] line, int columns) {
    byte[] kinds = new byte[columns];
    byte[][] values = new byte[columns][];
    int end = line.length;
    if (end > 0 && line[end - 1] == '\n') {
      end--;
    }
    int column = 0;
    int start = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || line[i] == '\t') {
        if (column >= columns) {
          throw new IllegalArgumentException(
              "COPY row has more than the " + columns + " columns selected");
        }
        if (i - start == 2 && line[start] == '\\' && line[start + 1] == 'N') {
          kinds[column] = TupleData.NULL;
        } else {
          kinds[column] = TupleData.TEXT;
          values[column] = unescape(line, start, i);
        }
        column++;
        start = i + 1;
      }
    }
    if (column != columns) {
      throw new IllegalArgumentException(
          "COPY row has " + column + " columns, " + columns + " were selected");
    }
    return new TupleData(kinds, values);
  }

  private static byte[] unescape(byte[] line, int from, int to) {
    int backslash = -1;
    for (int i = from; i < to; i++) {
      if (line[i] == '\\') {
        backslash = i;
        break;
      }
    }
    if (backslash < 0) {
      return from == to ? EMPTY : Arrays.copyOfRange(line, from, to);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    out.write(line, from, backslash - from);
    int i = backslash;
    while (i < to) {
      byte b = line[i];
      if (b != '\\' || i + 1 >= to) {
        out.write(b);
        i++;
      } else {
        i = escape(line, i + 1, to, out);
      }
    }
    return out.toByteArray();
  }

  /** Writes the escape whose letter is at {@code at}; returns the index after it. */
  private static int escape(byte[] line, int at, int to, ByteArrayOutputStream out) {
    byte next = line[at];
    int i = at + 1;
    switch (next) {
      case 'b' -> out.write('\b');
      case 'f' -> out.write('\f');
      case 'n' -> out.write('\n');
      case 'r' -> out.write('\r');
      case 't' -> out.write('\t');
      case 'v' -> out.write(0x0B);
      case 'x' -> {
        int value = 0;
        int digits = 0;
        while (digits < 2 && i < to && Character.digit(line[i], 16) >= 0) {
          value = value * 16 + Character.digit(line[i++], 16);
          digits++;
        }
        out.write(digits == 0 ? 'x' : value);
      }
      default -> {
        if (next < '0' || next > '7') {
          out.write(next);
          return i;
        }
        int value = next - '0';
        for (int digits = 1; digits < 3 && i < to && line[i] >= '0' && line[i] <= '7'; digits++) {
          value = value * 8 + (line[i++] - '0');
        }
        out.write(value);
      }
    }
    return i;
  }
}
