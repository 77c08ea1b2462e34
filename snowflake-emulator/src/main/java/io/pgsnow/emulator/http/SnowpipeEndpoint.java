package io.pgsnow.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.emulator.auth.AuthenticationException;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.emulator.pipe.Snowpipe;
import io.pgsnow.emulator.sql.ObjectName;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Snowpipe REST: {@code /v1/data/pipes/<db.schema.pipe>/insertFiles|insertReport|loadHistoryScan}.
 */
final class SnowpipeEndpoint {

  /** insertReport without recentSeconds covers the last 10 minutes, like the service. */
  private static final Duration DEFAULT_REPORT_WINDOW = Duration.ofMinutes(10);

  private final EmulatorContext context;

  SnowpipeEndpoint(EmulatorContext context) {
    this.context = context;
  }

  void handle(JsonExchange ex) throws IOException {
    String user;
    try {
      user = context.jwtVerifier().verify(ex.bearerToken());
    } catch (AuthenticationException e) {
      ex.send(401, JsonExchange.envelope(false, e.code(), e.getMessage(), null));
      return;
    }
    String rest = ex.path().substring("/v1/data/pipes/".length());
    int slash = rest.lastIndexOf('/');
    String pipeName = slash < 0 ? rest : rest.substring(0, slash);
    String action = slash < 0 ? "" : rest.substring(slash + 1);
    Optional<ObjectName> pipe = context.snowpipe().pipe(pipeName);
    // a pipe the caller's default role may not use does not exist for it, as in Snowflake
    if (pipe.isEmpty() || !context.executor().mayCallPipe(user, pipe.get())) {
      ex.send(
          404,
          JsonExchange.envelope(
              false,
              "390404",
              "Specified object does not exist or not authorized. Pipe not found",
              null));
      return;
    }
    switch (action) {
      case "insertFiles" -> insertFiles(ex, pipe.get());
      case "insertReport" -> insertReport(ex, pipe.get());
      case "loadHistoryScan" -> loadHistoryScan(ex, pipe.get());
      default -> ex.send(404, JsonExchange.envelope(false, "404", "Unknown action", null));
    }
  }

  private void insertFiles(JsonExchange ex, ObjectName pipe) throws IOException {
    JsonNode files = ex.json().path("files");
    List<Snowpipe.QueuedFile> queued = new ArrayList<>();
    for (JsonNode f : files) {
      queued.add(new Snowpipe.QueuedFile(f.path("path").asText(), f.path("size").asLong(0)));
    }
    context.snowpipe().insertFiles(pipe, queued);
    ObjectNode response = JsonExchange.JSON.createObjectNode();
    response.put("requestId", requestId(ex));
    response.put("responseCode", "SUCCESS");
    ex.send(200, response);
  }

  private static String requestId(JsonExchange ex) {
    return ex.query().getOrDefault("requestId", UUID.randomUUID().toString());
  }

  private void insertReport(JsonExchange ex, ObjectName pipe) throws IOException {
    Map<String, String> q = ex.query();
    long beginMark = parseLong(q.get("beginMark"), 0);
    Duration window =
        q.containsKey("recentSeconds")
            ? Duration.ofSeconds(parseLong(q.get("recentSeconds"), 600))
            : DEFAULT_REPORT_WINDOW;
    Instant since = Instant.now().minus(window);
    List<LoadRecord> all = context.snowpipe().history(pipe);
    long next = all.isEmpty() ? beginMark : Math.max(beginMark, all.get(all.size() - 1).sequence());
    ObjectNode response = JsonExchange.JSON.createObjectNode();
    response.put("pipe", pipe.display());
    response.put("completeResult", true);
    response.put("nextBeginMark", Long.toString(next));
    ArrayNode files = response.putArray("files");
    for (LoadRecord r : all) {
      if (r.sequence() > beginMark && !r.lastInsertTime().isBefore(since)) {
        files.add(fileEntry(r));
      }
    }
    ObjectNode statistics = response.putObject("statistics");
    statistics.put("activeFilesCount", context.snowpipe().pending());
    ex.send(200, response);
  }

  private void loadHistoryScan(JsonExchange ex, ObjectName pipe) throws IOException {
    Map<String, String> q = ex.query();
    Instant start = parseInstant(q.get("startTimeInclusive"), Instant.EPOCH);
    Instant end = parseInstant(q.get("endTimeExclusive"), Instant.now().plusSeconds(1));
    ObjectNode response = JsonExchange.JSON.createObjectNode();
    response.put("pipe", pipe.display());
    response.put("completeResult", true);
    response.put("startTimeInclusive", q.get("startTimeInclusive"));
    response.put("endTimeExclusive", q.get("endTimeExclusive"));
    ArrayNode files = response.putArray("files");
    Instant first = null;
    Instant last = null;
    for (LoadRecord r : context.snowpipe().history(pipe)) {
      Instant t = r.lastInsertTime();
      if (!t.isBefore(start) && t.isBefore(end)) {
        files.add(fileEntry(r));
        first = first == null ? t : first;
        last = t;
      }
    }
    response.put("rangeStartTime", first == null ? null : format(first));
    response.put("rangeEndTime", last == null ? null : format(last));
    ex.send(200, response);
  }

  private static ObjectNode fileEntry(LoadRecord r) {
    ObjectNode f = JsonExchange.JSON.createObjectNode();
    f.put("path", r.path());
    f.put("stageLocation", r.stageLocation());
    f.put("fileSize", r.fileSize());
    f.put("timeReceived", format(r.timeReceived()));
    f.put("lastInsertTime", format(r.lastInsertTime()));
    f.put("rowsInserted", r.result().rowsLoaded());
    f.put("rowsParsed", r.result().rowsParsed());
    f.put("errorsSeen", r.result().errorsSeen());
    f.put("errorLimit", 1);
    f.put("firstError", r.result().firstError().orElse(null));
    if (r.result().firstErrorLine().isPresent()) {
      f.put("firstErrorLineNum", r.result().firstErrorLine().get());
      f.put("firstErrorCharacterPos", 1);
    }
    f.put("complete", true);
    f.put("status", r.status());
    return f;
  }

  private static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private static long parseLong(String text, long fallback) {
    try {
      return text == null || text.isBlank() ? fallback : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Instant parseInstant(String text, Instant fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    return DateTimeFormatter.ISO_DATE_TIME.parse(text, Instant::from);
  }
}
