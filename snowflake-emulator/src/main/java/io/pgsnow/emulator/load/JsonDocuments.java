package io.pgsnow.emulator.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads the JSON documents of a staged file: concatenated or newline-delimited values, gzip
 * detected by its magic bytes as Snowflake's AUTO compression does. Parsing stops at the first
 * malformed document, which is reported with its line number.
 */
public final class JsonDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The documents read before any error, and the error if one stopped the read. */
  public record Parsed(List<JsonNode> documents, Optional<String> error, long errorLine) {}

  private JsonDocuments() {}

  public static Parsed read(byte[] bytes, boolean stripOuterArray) {
    List<JsonNode> docs = new ArrayList<>();
    long line = 1;
    try (InputStream in = open(bytes);
        JsonParser parser = JSON.getFactory().createParser(in)) {
      while (true) {
        line = parser.currentLocation().getLineNr();
        JsonToken token = parser.nextToken();
        if (token == null) {
          break;
        }
        JsonNode doc = JSON.readTree(parser);
        if (stripOuterArray && doc.isArray()) {
          doc.forEach(docs::add);
        } else {
          docs.add(doc);
        }
      }
      return new Parsed(docs, Optional.empty(), 0);
    } catch (IOException e) {
      if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
          && jpe.getLocation() != null) {
        line = jpe.getLocation().getLineNr();
      }
      String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      return new Parsed(docs, Optional.of("Error parsing JSON: " + message), line);
    }
  }

  private static InputStream open(byte[] bytes) throws IOException {
    InputStream raw = new ByteArrayInputStream(bytes);
    boolean gzip = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    return gzip ? new GZIPInputStream(raw) : raw;
  }
}
