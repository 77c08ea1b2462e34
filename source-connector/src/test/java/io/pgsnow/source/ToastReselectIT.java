package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * toast.handling.mode=reselect on a table without REPLICA IDENTITY FULL: updates that leave a
 * TOASTed value alone carry its value read by key, in batches; a row deleted before the read keeps
 * null and the unchanged-TOAST header.
 */
class ToastReselectIT {
  private static final int ROWS = 300;

  @Test
  void unchangedToastValuesAreReadByKey() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("toast_reselect");
    pg.executeIn(
        db,
        "CREATE TABLE docs (id int PRIMARY KEY, body text, n int)",
        // Stored out of line uncompressed, so that an update not touching body does not send it.
        "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL");
    try (ConnectCluster connect = SourceItSupport.sharedCluster()) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, db, "reselect");
      config.put("toast.handling.mode", "reselect");
      SourceItSupport.startConnector(connect, pg, db, "reselect", config);
      pg.executeIn(
          db,
          "INSERT INTO docs SELECT i, repeat(md5(i::text), 100), 0"
              + " FROM generate_series(1, "
              + (ROWS + 2)
              + ") i",
          // More updates in one transaction than one query reads.
          "UPDATE docs SET n = 1 WHERE id <= " + ROWS,
          "BEGIN; UPDATE docs SET n = 2 WHERE id = "
              + (ROWS + 1)
              + "; DELETE FROM docs WHERE id = "
              + (ROWS + 1)
              + "; COMMIT",
          "BEGIN; UPDATE docs SET n = 3 WHERE id = "
              + (ROWS + 2)
              + "; UPDATE docs SET body = 'later'"
              + " WHERE id = "
              + (ROWS + 2)
              + "; COMMIT");
      String topic = "reselect.public.docs";
      // Inserts, updates, update + delete + tombstone, two updates.
      int expected = (ROWS + 2) + ROWS + 3 + 2;
      List<ConsumerRecord<byte[], byte[]>> records =
          SourceItSupport.awaitRecords(connect, topic, expected);
      List<ConsumerRecord<byte[], byte[]>> updates = records.subList(ROWS + 2, ROWS + 2 + ROWS);
      for (int i = 0; i < ROWS; i++) {
        ConsumerRecord<byte[], byte[]> r = updates.get(i);
        SourceItSupport.Event e = SourceItSupport.events(List.of(r)).get(0);
        int id = e.keyPayload().get("id").asInt();
        assertThat(e.op()).isEqualTo("u");
        assertThat(e.after().get("n").asInt()).isEqualTo(1);
        assertThat(e.after().get("body").asText())
            .as("row %d", id)
            .isEqualTo(md5(Integer.toString(id)).repeat(100));
        assertThat(SourceItSupport.header(r, "pgsnow.reselected.toast.columns")).isEqualTo("body");
        assertThat(SourceItSupport.header(r, "pgsnow.unchanged.toast.columns")).isNull();
      }
      // The row no longer exists when its value is read: null, named as unchanged.
      ConsumerRecord<byte[], byte[]> gone = records.get(ROWS + 2 + ROWS);
      SourceItSupport.Event goneEvent = SourceItSupport.events(List.of(gone)).get(0);
      assertThat(goneEvent.after().get("n").asInt()).isEqualTo(2);
      assertThat(goneEvent.after().get("body").isNull()).isTrue();
      assertThat(SourceItSupport.header(gone, "pgsnow.unchanged.toast.columns")).isEqualTo("body");
      assertThat(SourceItSupport.header(gone, "pgsnow.reselected.toast.columns")).isNull();
      // The value read is the one committed when it is read, here a later change's (documented).
      ConsumerRecord<byte[], byte[]> newer = records.get(ROWS + 2 + ROWS + 3);
      SourceItSupport.Event newerEvent = SourceItSupport.events(List.of(newer)).get(0);
      assertThat(newerEvent.after().get("n").asInt()).isEqualTo(3);
      assertThat(newerEvent.after().get("body").asText()).isEqualTo("later");
      assertThat(SourceItSupport.header(newer, "pgsnow.reselected.toast.columns"))
          .isEqualTo("body");
      connect.connect().deleteConnector("reselect");
    }
  }

  private static String md5(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("MD5")
              .digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
