package io.pgsnow.source.decoding;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput protocol messages (v1 and v2) from the bytes of one XLogData payload. It holds
 * no connection; its only state is whether it is inside a streamed-transaction block, because
 * change messages there carry an extra transaction id.
 */
public final class PgOutputDecoder {
  /** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
  static final long PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000L;

  private boolean inStreamBlock;

  public PgOutputMessage decode(ByteBuffer buffer) {
    byte tag = buffer.get();
    switch (tag) {
      case 'B':
        return new PgOutputMessage.Begin(
            buffer.getLong(), toUnixMicros(buffer.getLong()), unsignedInt(buffer));
      case 'C':
        buffer.get(); // flags, unused
        return new PgOutputMessage.Commit(
            buffer.getLong(), buffer.getLong(), toUnixMicros(buffer.getLong()));
      case 'O':
        return new PgOutputMessage.Origin(buffer.getLong(), cString(buffer));
      case 'R':
        return relation(buffer);
      case 'Y':
        return new PgOutputMessage.Type(
            streamXid(buffer), buffer.getInt(), cString(buffer), cString(buffer));
      case 'I':
        return insert(buffer);
      case 'U':
        return update(buffer);
      case 'D':
        return delete(buffer);
      case 'T':
        return truncate(buffer);
      case 'M':
        return logicalMessage(buffer);
      case 'S':
        inStreamBlock = true;
        return new PgOutputMessage.StreamStart(unsignedInt(buffer), buffer.get() == 1);
      case 'E':
        inStreamBlock = false;
        return new PgOutputMessage.StreamStop();
      case 'c':
        long xid = unsignedInt(buffer);
        buffer.get(); // flags, unused
        return new PgOutputMessage.StreamCommit(
            xid, buffer.getLong(), buffer.getLong(), toUnixMicros(buffer.getLong()));
      case 'A':
        return new PgOutputMessage.StreamAbort(unsignedInt(buffer), unsignedInt(buffer));
      default:
        throw new PgOutputException(
            "Unknown pgoutput message type '"
                + (char) tag
                + "' (0x"
                + Integer.toHexString(tag)
                + ")");
    }
  }

  private PgOutputMessage relation(ByteBuffer buffer) {
    long xid = streamXid(buffer);
    int relationId = buffer.getInt();
    String namespace = cString(buffer);
    String name = cString(buffer);
    char replicaIdentity = (char) buffer.get();
    int count = Short.toUnsignedInt(buffer.getShort());
    List<PgOutputMessage.Column> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean key = (buffer.get() & 1) != 0;
      String column = cString(buffer);
      columns.add(new PgOutputMessage.Column(key, column, buffer.getInt(), buffer.getInt()));
    }
    // pgoutput sends an empty namespace for pg_catalog.
    String schema = namespace.isEmpty() ? "pg_catalog" : namespace;
    return new PgOutputMessage.Relation(
        xid, relationId, schema, name, replicaIdentity, List.copyOf(columns));
  }

  private PgOutputMessage insert(ByteBuffer buffer) {
    long xid = streamXid(buffer);
    int relationId = buffer.getInt();
    expect(buffer, 'N', "Insert");
    return new PgOutputMessage.Insert(xid, relationId, tuple(buffer));
  }

  private PgOutputMessage update(ByteBuffer buffer) {
    long xid = streamXid(buffer);
    int relationId = buffer.getInt();
    byte marker = buffer.get();
    TupleData old = null;
    boolean keyOnly = false;
    if (marker == 'K' || marker == 'O') {
      keyOnly = marker == 'K';
      old = tuple(buffer);
      marker = buffer.get();
    }
    if (marker != 'N') {
      throw new PgOutputException("Update: expected 'N' but got '" + (char) marker + "'");
    }
    return new PgOutputMessage.Update(xid, relationId, old, keyOnly, tuple(buffer));
  }

  private PgOutputMessage delete(ByteBuffer buffer) {
    long xid = streamXid(buffer);
    int relationId = buffer.getInt();
    byte marker = buffer.get();
    if (marker != 'K' && marker != 'O') {
      throw new PgOutputException("Delete: expected 'K' or 'O' but got '" + (char) marker + "'");
    }
    return new PgOutputMessage.Delete(xid, relationId, tuple(buffer), marker == 'K');
  }

  private PgOutputMessage truncate(ByteBuffer buffer) {
    long xid = streamXid(buffer);
    int count = buffer.getInt();
    byte options = buffer.get();
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = buffer.getInt();
    }
    return new PgOutputMessage.Truncate(xid, ids, (options & 1) != 0, (options & 2) != 0);
  }

  private PgOutputMessage logicalMessage(ByteBuffer buffer) {
    long xid = streamXid(buffer);
    boolean transactional = (buffer.get() & 1) != 0;
    long lsn = buffer.getLong();
    String prefix = cString(buffer);
    byte[] content = new byte[buffer.getInt()];
    buffer.get(content);
    return new PgOutputMessage.LogicalMessage(xid, transactional, lsn, prefix, content);
  }

  private static TupleData tuple(ByteBuffer buffer) {
    int count = Short.toUnsignedInt(buffer.getShort());
    byte[] kinds = new byte[count];
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      byte kind = buffer.get();
      kinds[i] = kind;
      if (kind == TupleData.TEXT || kind == TupleData.BINARY) {
        byte[] value = new byte[buffer.getInt()];
        buffer.get(value);
        values[i] = value;
      } else if (kind != TupleData.NULL && kind != TupleData.UNCHANGED_TOAST) {
        throw new PgOutputException("Unknown tuple value kind '" + (char) kind + "'");
      }
    }
    return new TupleData(kinds, values);
  }

  private long streamXid(ByteBuffer buffer) {
    return inStreamBlock ? unsignedInt(buffer) : 0L;
  }

  private static long unsignedInt(ByteBuffer buffer) {
    return Integer.toUnsignedLong(buffer.getInt());
  }

  private static void expect(ByteBuffer buffer, char expected, String message) {
    byte b = buffer.get();
    if (b != expected) {
      throw new PgOutputException(
          message + ": expected '" + expected + "' but got '" + (char) b + "'");
    }
  }

  private static String cString(ByteBuffer buffer) {
    int start = buffer.position();
    int end = start;
    while (buffer.get(end) != 0) {
      end++;
    }
    String s;
    if (buffer.hasArray()) {
      s =
          new String(
              buffer.array(), buffer.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
    } else {
      byte[] bytes = new byte[end - start];
      buffer.get(start, bytes);
      s = new String(bytes, StandardCharsets.UTF_8);
    }
    buffer.position(end + 1);
    return s;
  }

  static long toUnixMicros(long pgMicros) {
    return pgMicros + PG_EPOCH_OFFSET_MICROS;
  }
}
