package io.pgsnow.emulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class JsonDocumentsTest {

  @Test
  void readsConcatenatedAndGzippedDocuments() throws Exception {
    byte[] raw = "{\"a\":1}{\"a\":2}\n{\"a\":3}".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(raw);
    }
    JsonDocuments.Parsed parsed = JsonDocuments.read(gz.toByteArray(), false);
    assertThat(parsed.error()).isEmpty();
    assertThat(parsed.documents()).extracting(d -> d.get("a").asInt()).containsExactly(1, 2, 3);
  }

  @Test
  void stripsOuterArrayWhenAsked() {
    byte[] raw = "[{\"a\":1},{\"a\":2}]".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonDocuments.read(raw, true).documents()).hasSize(2);
    assertThat(JsonDocuments.read(raw, false).documents()).hasSize(1);
  }

  @Test
  void stopsAtTheFirstMalformedDocumentWithItsLine() {
    byte[] raw = "{\"a\":1}\n{\"a\":2}\n{\"a\":".getBytes(StandardCharsets.UTF_8);
    JsonDocuments.Parsed parsed = JsonDocuments.read(raw, false);
    assertThat(parsed.documents()).hasSize(2);
    assertThat(parsed.error()).hasValueSatisfying(e -> assertThat(e).startsWith("Error parsing"));
    assertThat(parsed.errorLine()).isEqualTo(3);
  }
}
