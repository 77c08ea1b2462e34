package io.pgsnow.emulator.http;

import io.pgsnow.emulator.stage.ClientSideEncryption;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The presigned-URL side of the fake GCS stages: {@code /gcs/<DB>/<SCHEMA>/<STAGE>/<path>} (or
 * {@code /gcs/~/<path>}) accepts PUT and serves GET/HEAD/DELETE of the raw object bytes.
 */
final class StageObjectEndpoint {

  private final EmulatorContext context;

  StageObjectEndpoint(EmulatorContext context) {
    this.context = context;
  }

  void handle(JsonExchange ex) throws IOException {
    List<String> segments = new ArrayList<>();
    for (String raw : ex.rawPath().substring("/gcs/".length()).split("/")) {
      segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    int keyLength = segments.get(0).equals("~") ? 1 : 3;
    if (segments.size() <= keyLength) {
      ex.send(400, new byte[0], "text/plain");
      return;
    }
    List<String> key = segments.subList(0, keyLength);
    String path = String.join("/", segments.subList(keyLength, segments.size()));
    switch (ex.method()) {
      case "PUT", "POST" -> {
        String encryption = ex.header("x-goog-meta-encryptiondata");
        byte[] bytes =
            encryption == null || encryption.isBlank()
                ? ex.body()
                : ClientSideEncryption.decrypt(ex.body(), encryption);
        context.stages().write(key, path, bytes);
        ex.send(200, new byte[0], "text/plain");
      }
      case "GET" -> {
        Optional<byte[]> bytes = context.stages().read(key, path);
        if (bytes.isPresent()) {
          ex.send(200, bytes.get(), "application/octet-stream");
        } else {
          ex.send(404, new byte[0], "text/plain");
        }
      }
      case "HEAD" ->
          ex.send(context.stages().exists(key, path) ? 200 : 404, new byte[0], "text/plain");
      case "DELETE" -> {
        context.stages().delete(key, path);
        ex.send(204, new byte[0], "text/plain");
      }
      default -> ex.send(405, new byte[0], "text/plain");
    }
  }
}
