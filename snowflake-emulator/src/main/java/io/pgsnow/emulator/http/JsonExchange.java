package io.pgsnow.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.zip.GZIPInputStream;

/** Request and response plumbing over {@link HttpExchange}: gzip bodies, query strings, JSON. */
final class JsonExchange {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpExchange exchange;
  private byte[] body;
  private int status;
  private IntConsumer beforeResponse = s -> {};

  JsonExchange(HttpExchange exchange) {
    this.exchange = exchange;
  }

  /**
   * Called once with the HTTP status (0 for none) just before the answer leaves, so whatever it
   * records is visible to a client that got the answer.
   */
  void beforeResponse(IntConsumer listener) {
    this.beforeResponse = listener;
  }

  private void responding(int httpStatus) {
    IntConsumer listener = beforeResponse;
    beforeResponse = s -> {};
    listener.accept(httpStatus);
  }

  String method() {
    return exchange.getRequestMethod();
  }

  String path() {
    return exchange.getRequestURI().getPath();
  }

  String rawPath() {
    return exchange.getRequestURI().getRawPath();
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  Map<String, String> query() {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  /** The request body, gunzipped when the client compressed it (the JDBC driver does). */
  byte[] body() throws IOException {
    if (body == null) {
      byte[] raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      }
      boolean gzip =
          "gzip".equalsIgnoreCase(header("Content-Encoding"))
              || (raw.length > 2
                  && (raw[0] & 0xff) == 0x1f
                  && (raw[1] & 0xff) == 0x8b
                  && !path().startsWith("/gcs/"));
      if (gzip) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          raw = in.readAllBytes();
        }
      }
      body = raw;
    }
    return body;
  }

  JsonNode json() throws IOException {
    byte[] bytes = body();
    return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
  }

  /** The token of {@code Authorization: Snowflake Token="..."}. */
  String snowflakeToken() {
    String auth = header("Authorization");
    if (auth == null) {
      return null;
    }
    int start = auth.indexOf("Token=\"");
    if (start < 0) {
      return null;
    }
    int end = auth.indexOf('"', start + 7);
    return end < 0 ? null : auth.substring(start + 7, end);
  }

  String bearerToken() {
    String auth = header("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
  }

  void send(int status, JsonNode json) throws IOException {
    send(status, JSON.writeValueAsBytes(json), "application/json");
  }

  void send(int status, byte[] bytes, String contentType) throws IOException {
    this.status = status;
    responding(status);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (bytes.length == 0) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  /** The HTTP status sent, or 0 while nothing was sent. */
  int status() {
    return status;
  }

  /** Drops the connection without a response, as a network failure or a dead server would. */
  void closeWithoutResponse() {
    responding(status);
    exchange.close();
  }

  /** The {@code {success, code, message, data}} envelope every Snowflake reply uses. */
  static ObjectNode envelope(boolean success, String code, String message, JsonNode data) {
    ObjectNode root = JSON.createObjectNode();
    root.set("data", data);
    root.put("code", code);
    root.put("message", message);
    root.put("success", success);
    return root;
  }

  void ok(JsonNode data) throws IOException {
    send(200, envelope(true, null, null, data));
  }

  /** Snowflake reports failures with HTTP 200 and {@code success:false}. */
  void fail(String code, String message, ObjectNode data) throws IOException {
    send(200, failure(code, message, data));
  }

  static ObjectNode failure(String code, String message, ObjectNode data) {
    ObjectNode d = data == null ? JSON.createObjectNode() : data;
    d.put("errorCode", code);
    return envelope(false, code, message, d);
  }
}
