package io.pgsnow.sink.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.sink.recovery.LoadStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Snowpipe's REST API, the three calls the sink needs: {@code insertFiles}, {@code insertReport}
 * and {@code loadHistoryScan}, authenticated with a key-pair JWT. Safe to call from several threads
 * ({@link HttpClient} is, and the JWT is renewed under a lock).
 *
 * <p>The sink talks to these endpoints itself rather than through the ingest SDK: the SDK 4.x ships
 * as an 84 MB jar carrying its own copy of the JDBC driver, or unshaded against JDBC 3.x only,
 * while these calls are a few HTTP requests. Each request is bounded by the Snowpipe request
 * timeout; a request that times out is a transient fault ({@link
 * java.net.http.HttpTimeoutException} is an {@link IOException}), and a repeated insertFiles is
 * harmless because Snowpipe skips a path it loaded before.
 */
public final class SnowpipeClient implements Snowpipe {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Charset UTF8 = StandardCharsets.UTF_8;

  private final ConnectionSettings settings;
  private final SnowpipeJwt jwt;
  private final HttpClient http;

  public SnowpipeClient(ConnectionSettings settings) {
    this.settings = settings;
    this.jwt =
        new SnowpipeJwt(
            settings.url().account(), settings.user(), settings.privateKey(), Clock.systemUTC());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeouts().network())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Asks the pipe to load the files (paths relative to its stage). Snowpipe skips a path it loaded
   * before, which makes this safe to repeat.
   */
  @Override
  public void insertFiles(String pipe, List<String> paths) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode files = body.putArray("files");
    paths.forEach(p -> files.addObject().put("path", p));
    HttpRequest request =
        request(pipe, "insertFiles", Map.of())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    send("insertFiles", pipe, request);
  }

  /** Outcomes of files the pipe handled in the last ten minutes (insertReport). */
  @Override
  public Map<String, LoadStatus> recentOutcomes(String pipe) throws Exception {
    HttpRequest request = request(pipe, "insertReport", Map.of()).GET().build();
    return outcomes(send("insertReport", pipe, request).path("files"));
  }

  /** Outcomes of files loaded since {@code since} (loadHistoryScan). */
  @Override
  public Map<String, LoadStatus> history(String pipe, Instant since) throws Exception {
    Map<String, String> range =
        Map.of(
            "startTimeInclusive", since.toString(),
            "endTimeExclusive", Instant.now().plusSeconds(60).toString());
    HttpRequest request = request(pipe, "loadHistoryScan", range).GET().build();
    try {
      return outcomes(send("loadHistoryScan", pipe, request).path("files"));
    } catch (SnowpipeResponseException e) {
      if (e.status() == 404) {
        return Map.of();
      }
      throw e;
    }
  }

  private HttpRequest.Builder request(String pipe, String action, Map<String, String> parameters) {
    StringBuilder uri =
        new StringBuilder(settings.url().scheme())
            .append("://")
            .append(settings.url().host())
            .append(':')
            .append(settings.url().port())
            .append("/v1/data/pipes/")
            .append(pathSegment(pipe))
            .append('/')
            .append(action)
            .append("?requestId=")
            .append(UUID.randomUUID());
    parameters.forEach(
        (name, value) ->
            uri.append('&').append(name).append('=').append(URLEncoder.encode(value, UTF8)));
    return HttpRequest.newBuilder(URI.create(uri.toString()))
        .timeout(settings.timeouts().snowpipeRequest())
        .header("Authorization", "Bearer " + jwt.token())
        .header("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT")
        .header("Accept", "application/json")
        .header("User-Agent", "pgsnow-snowflake-sink");
  }

  private JsonNode send(String what, String pipe, HttpRequest request)
      throws IOException, SnowpipeResponseException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for Snowpipe " + what + " of " + pipe, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new SnowpipeResponseException(
          what + " of " + pipe, response.statusCode(), response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  /** A pipe name as one path segment: unreserved characters as they are, others percent-encoded. */
  static String pathSegment(String pipe) {
    StringBuilder out = new StringBuilder();
    for (byte b : pipe.getBytes(UTF8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '_'
          || c == '-'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static Map<String, LoadStatus> outcomes(JsonNode files) {
    Map<String, LoadStatus> out = new HashMap<>();
    for (JsonNode f : files) {
      String path = f.path("path").asText(null);
      if (path == null) {
        continue;
      }
      out.put(
          path,
          new LoadStatus(
              path,
              LoadStatus.Status.parse(f.path("status").asText(null)),
              f.path("rowsParsed").asLong(0),
              f.path("rowsInserted").asLong(0),
              f.path("firstError").asText(null)));
    }
    return out;
  }

  @Override
  public void close() {
    // java.net.http.HttpClient releases its connections when it is no longer referenced.
  }
}
