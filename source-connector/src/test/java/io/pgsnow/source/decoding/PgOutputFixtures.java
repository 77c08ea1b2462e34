package io.pgsnow.source.decoding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * pgoutput messages captured from PostgreSQL 15 with {@code pg_logical_slot_peek_binary_changes},
 * one hex-encoded message per line:
 *
 * <ul>
 *   <li>{@code v1-changes.hex} (proto_version 1): a two-row INSERT, an UPDATE, a primary key
 *       change, a DELETE, an INSERT and UPDATE on a REPLICA IDENTITY FULL table, a TRUNCATE.
 *   <li>{@code v2-streamed.hex} (proto_version 2, streaming on, logical_decoding_work_mem 64kB):
 *       one large transaction streamed in blocks, with a rolled-back savepoint of 1,001 rows (a
 *       subtransaction abort), that commits 2,002 rows; then blocks of a second large transaction
 *       still in progress where the capture ends (its rollback was not yet flushed).
 * </ul>
 */
public final class PgOutputFixtures {
  private PgOutputFixtures() {}

  public static List<ByteBuffer> load(String name) {
    try (InputStream in = PgOutputFixtures.class.getResourceAsStream("/pgoutput/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return text.lines()
          .filter(l -> !l.isBlank())
          .map(l -> ByteBuffer.wrap(HexFormat.of().parseHex(l.trim())))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<PgOutputMessage> decode(String name) {
    PgOutputDecoder decoder = new PgOutputDecoder();
    return load(name).stream().map(decoder::decode).toList();
  }
}
