package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PUT / GET / LIST / REMOVE / COPY INTO through the JDBC driver's GCS presigned-URL path. */
class StageIT {

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws SQLException {
    emulator =
        SnowflakeEmulator.builder().user(EmulatorClients.USER, EmulatorClients.PASSWORD).start();
    try (Connection conn = EmulatorClients.password(emulator)) {
      exec(
          conn,
          "create database stage_db",
          "create stage files",
          "create table people (id number, name string)");
    }
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static Connection connect() throws SQLException {
    return EmulatorClients.password(emulator, "STAGE_DB", "PUBLIC");
  }

  @Test
  void putCopyListGetRemove(@TempDir Path dir) throws Exception {
    Path local = dir.resolve("people.json");
    Files.writeString(local, "{\"ID\": 1, \"NAME\": \"ann\"}\n{\"id\": 2, \"name\": \"bob\"}\n");
    try (Connection conn = connect()) {
      List<List<String>> put = rows(conn, "put file://" + local + " @files/in");
      assertThat(put.get(0)).contains("people.json", "people.json.gz", "UPLOADED");
      assertThat(rows(conn, "list @files"))
          .extracting(r -> r.get(0))
          .containsExactly("files/in/people.json.gz");

      List<List<String>> copy =
          rows(
              conn,
              "copy into people from @files/in"
                  + " file_format = (type = json) match_by_column_name = case_insensitive");
      assertThat(copy.get(0).get(1)).isEqualTo("LOADED");
      assertThat(rows(conn, "select id, name from people order by id"))
          .containsExactly(List.of("1", "ann"), List.of("2", "bob"));
      assertThat(
              rows(
                      conn,
                      "copy into people from @files/in file_format = (type = json)"
                          + " match_by_column_name = case_insensitive")
                  .get(0)
                  .get(0))
          .isEqualTo("Copy executed with 0 files processed.");

      Path out = dir.resolve("out");
      rows(conn, "get @files/in/people.json.gz file://" + out + "/");
      try (InputStream in =
          new GZIPInputStream(Files.newInputStream(out.resolve("people.json.gz")))) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"bob\"");
      }
      try (InputStream in = DriverApi.downloadStream(conn, "@files", "in/people.json.gz", true)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"ann\"");
      }

      assertThat(rows(conn, "remove @files/in"))
          .extracting(r -> r.get(1))
          .containsExactly("removed");
      assertThat(rows(conn, "list @files")).isEmpty();
    }
  }

  /** The sessionless upload path encrypts even for unencrypted stages; objects are stored clear. */
  @Test
  void encryptedUploadsAreStoredDecrypted() throws Exception {
    String[] encrypted =
        io.pgsnow.emulator.stage.DriverStyleEncryption.encrypt(
            "{\"ID\": 7, \"NAME\": \"eve\"}".getBytes(StandardCharsets.UTF_8));
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            emulator.accountUrl() + "/gcs/STAGE_DB/PUBLIC/FILES/enc/e.json"))
                    .header("x-goog-meta-encryptiondata", encrypted[1])
                    .PUT(
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                            java.util.Base64.getDecoder().decode(encrypted[0])))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    try (Connection conn = connect()) {
      exec(conn, "create or replace table enc (id number, name string)");
      rows(
          conn,
          "copy into enc from @files/enc file_format = (type = json)"
              + " match_by_column_name = case_insensitive");
      assertThat(rows(conn, "select id, name from enc")).containsExactly(List.of("7", "eve"));
      rows(conn, "rm @files/enc");
    }
  }

  @Test
  void tableStageListsBarePaths() throws Exception {
    try (Connection conn = connect()) {
      DriverApi.uploadStream(
          conn,
          "@%people",
          "broken",
          new java.io.ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
          "rec.json",
          true);
      assertThat(rows(conn, "ls @%people"))
          .extracting(r -> r.get(0))
          .containsExactly("broken/rec.json.gz");
      rows(conn, "rm @%people/broken/rec.json.gz");
      assertThat(rows(conn, "ls @%people")).isEmpty();
    }
  }
}
