package io.pgsnow.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.emulator.engine.BindValue;
import io.pgsnow.emulator.engine.Column;
import io.pgsnow.emulator.engine.FileTransfer;
import io.pgsnow.emulator.engine.QueryResult;
import io.pgsnow.emulator.engine.SessionState;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.StatementSplitter;
import io.pgsnow.emulator.stage.ClientSideEncryption;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /queries/v1/query-request}: runs SQL and answers with a JSON result set. */
final class QueryEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(QueryEndpoint.class);
  private static final String GCS_BUCKET = "emulator";

  private final EmulatorContext context;
  private final SessionEndpoints sessions;
  private static final String CANCELED_STATE = "57014";

  private final ResultCache results = new ResultCache();
  private final QueryRequests requests = new QueryRequests();

  QueryEndpoint(EmulatorContext context, SessionEndpoints sessions) {
    this.context = context;
    this.sessions = sessions;
  }

  /**
   * Runs the statement of a query-request, once per request id: a retry of a request the emulator
   * has seen gets the first attempt's answer. {@code slowness} models a statement that runs that
   * long: it ends early with Snowflake's errors when the client aborts the request (000604) or the
   * request's STATEMENT_TIMEOUT_IN_SECONDS passes (000630).
   */
  void query(JsonExchange ex, Duration slowness) throws IOException {
    if (!sessions.requireSession(ex)) {
      return;
    }
    SessionState session =
        context.sessions().bySessionToken(ex.snowflakeToken()).orElseThrow().state();
    JsonNode request = ex.json();
    Map<String, String> parameters = ex.query();
    String requestId = parameters.getOrDefault("requestId", UUID.randomUUID().toString());
    QueryRequests.Admission admission = requests.admit(requestId);
    if (!admission.first()) {
      LOG.info(
          "Query-request {} sent again (retryCount {}, retryReason {}): answering with its first"
              + " execution",
          requestId,
          parameters.get("retryCount"),
          parameters.get("retryReason"));
      ex.send(200, admission.execution().answer());
      return;
    }
    ObjectNode answer = null;
    try {
      answer = answer(session, request, slowness, admission.execution());
    } finally {
      if (answer == null) {
        admission.execution().abandon(new IllegalStateException("query-request failed"));
      }
    }
    admission.execution().complete(answer);
    ex.send(200, answer);
  }

  /**
   * {@code /queries/v1/abort-request}: cancels the running execution the body's requestId names.
   */
  void abort(JsonExchange ex) throws IOException {
    if (!sessions.requireSession(ex)) {
      return;
    }
    String requestId = ex.json().path("requestId").asText("");
    boolean running = requests.cancel(requestId);
    LOG.info("Abort of query-request {} ({})", requestId, running ? "known" : "unknown");
    ex.ok(JsonExchange.JSON.nullNode());
  }

  private ObjectNode answer(
      SessionState session,
      JsonNode request,
      Duration slowness,
      QueryRequests.Execution execution) {
    String sql = request.path("sqlText").asText("");
    String queryId = UUID.randomUUID().toString();
    LOG.debug("Query {}: {}", queryId, sql);
    try {
      Optional<ObjectNode> stopped = runFor(slowness, request, execution, queryId);
      if (stopped.isPresent()) {
        return stopped.get();
      }
      List<BindValue> binds = binds(request.path("bindings"));
      if (request.path("describeOnly").asBoolean(false)) {
        return success(describeOnly(session, queryId, binds.size()));
      }
      List<String> statements = StatementSplitter.split(sql);
      if (statements.size() > 1) {
        int expected = request.path("parameters").path("MULTI_STATEMENT_COUNT").asInt(1);
        return success(multiStatement(session, statements, expected, queryId));
      }
      QueryResult result = context.executor().execute(session, sql, binds);
      return success(
          result.command() instanceof FileTransfer transfer
              ? transferData(transfer, queryId)
              : resultData(result, session, queryId));
    } catch (SnowflakeSqlException e) {
      LOG.debug("Query {} failed: {}", queryId, e.getMessage());
      return failure(queryId, e.errorCode(), e.sqlState(), e.getMessage());
    } catch (RuntimeException e) {
      // An HTTP 500 would make the driver retry for minutes; a statement error ends it at once.
      LOG.warn("Query {} failed inside the emulator: {}", queryId, sql, e);
      return failure(
          queryId, SnowflakeSqlException.GENERIC, "XX000", "Internal error in the emulator: " + e);
    }
  }

  /**
   * Lets a statement run for {@code slowness}; empty when it may go on, or the error that stopped
   * it first: an abort-request, or the statement timeout the client sent.
   */
  private static Optional<ObjectNode> runFor(
      Duration slowness, JsonNode request, QueryRequests.Execution execution, String queryId) {
    if (slowness.isZero()) {
      return Optional.empty();
    }
    long timeoutSeconds = request.path("parameters").path("STATEMENT_TIMEOUT_IN_SECONDS").asLong(0);
    Duration limit = Duration.ofSeconds(timeoutSeconds);
    boolean timesOut = timeoutSeconds > 0 && limit.compareTo(slowness) < 0;
    try {
      if (execution.awaitCancel(timesOut ? limit : slowness)) {
        return Optional.of(
            failure(
                queryId, SnowflakeSqlException.CANCELED, CANCELED_STATE, "SQL execution canceled"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(
          failure(
              queryId, SnowflakeSqlException.CANCELED, CANCELED_STATE, "SQL execution canceled"));
    }
    if (timesOut) {
      return Optional.of(
          failure(
              queryId,
              SnowflakeSqlException.STATEMENT_TIMEOUT,
              CANCELED_STATE,
              "Statement reached its statement or warehouse timeout of "
                  + timeoutSeconds
                  + " second(s) and was canceled."));
    }
    return Optional.empty();
  }

  private static ObjectNode success(JsonNode data) {
    return JsonExchange.envelope(true, null, null, data);
  }

  private static ObjectNode failure(String queryId, String code, String sqlState, String message) {
    ObjectNode data = JsonExchange.JSON.createObjectNode();
    data.put("sqlState", sqlState);
    data.put("queryId", queryId);
    data.put("internalError", false);
    return JsonExchange.failure(code, message, data);
  }

  /**
   * Runs each statement, keeps each result for the driver to fetch by id, and answers with the ids
   * and statement types, as Snowflake does when MULTI_STATEMENT_COUNT allows several.
   */
  private ObjectNode multiStatement(
      SessionState session, List<String> statements, int expected, String queryId) {
    if (expected != 0 && expected != statements.size()) {
      throw new SnowflakeSqlException(
          "000008",
          "0A000",
          "Actual statement count "
              + statements.size()
              + " did not match the desired statement count "
              + expected
              + ".");
    }
    List<String> ids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (String statement : statements) {
      QueryResult result = context.executor().execute(session, statement, List.of());
      String childId = UUID.randomUUID().toString();
      results.put(childId, result);
      ids.add(childId);
      types.add(Long.toString(result.statementTypeId()));
    }
    ObjectNode d =
        resultData(
            QueryResult.status("Multiple statements executed successfully."), session, queryId);
    d.put("statementTypeId", QueryResult.SELECT);
    d.put("resultIds", String.join(",", ids));
    d.put("resultTypes", String.join(",", types));
    return d;
  }

  /** {@code GET /queries/<id>/result}: a result kept from a multi-statement request. */
  void result(JsonExchange ex) throws IOException {
    if (!sessions.requireSession(ex)) {
      return;
    }
    SessionState session =
        context.sessions().bySessionToken(ex.snowflakeToken()).orElseThrow().state();
    String path = ex.path();
    String queryId = path.substring("/queries/".length(), path.length() - "/result".length());
    var result = results.get(queryId);
    if (result.isEmpty()) {
      ObjectNode data = JsonExchange.JSON.createObjectNode();
      data.put("sqlState", "02000");
      ex.fail("000709", "Statement " + queryId + " not found", data);
      return;
    }
    ex.ok(resultData(result.get(), session, queryId));
  }

  /** {@code GET /monitoring/queries/<id>}: the status the driver checks for child queries. */
  void monitoring(JsonExchange ex) throws IOException {
    if (!sessions.requireSession(ex)) {
      return;
    }
    String queryId = ex.path().substring("/monitoring/queries/".length());
    ObjectNode data = JsonExchange.JSON.createObjectNode();
    ArrayNode queries = data.putArray("queries");
    if (results.get(queryId).isPresent()) {
      ObjectNode q = queries.addObject();
      q.put("id", queryId);
      q.put("status", "SUCCESS");
      q.put("state", "SUCCEEDED");
    }
    ex.ok(data);
  }

  /** Binds keyed "1", "2", ...; an array {@code value} is a batch. */
  static List<BindValue> binds(JsonNode bindings) {
    Map<Integer, BindValue> ordered = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : bindings.properties()) {
      JsonNode value = e.getValue().path("value");
      String type = e.getValue().path("type").asText("TEXT");
      List<String> values = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(v -> values.add(v.isNull() ? null : v.asText()));
      } else {
        values.add(value.isNull() || value.isMissingNode() ? null : value.asText());
      }
      ordered.put(Integer.parseInt(e.getKey()), new BindValue(type, values, value.isArray()));
    }
    return new ArrayList<>(ordered.values());
  }

  private static ObjectNode describeOnly(SessionState session, String queryId, int binds) {
    ObjectNode d = JsonExchange.JSON.createObjectNode();
    d.putArray("rowtype");
    d.putArray("rowset");
    d.put("total", 0);
    d.put("returned", 0);
    d.put("queryId", queryId);
    d.put("numberOfBinds", binds);
    d.put("arrayBindSupported", true);
    d.put("statementTypeId", QueryResult.INSERT);
    d.put("queryResultFormat", "json");
    finalNames(d, session);
    return d;
  }

  private static void finalNames(ObjectNode d, SessionState session) {
    d.put("finalDatabaseName", session.database());
    d.put("finalSchemaName", session.schema());
    d.put("finalWarehouseName", session.warehouse());
    d.put("finalRoleName", session.role());
  }

  static ObjectNode resultData(QueryResult result, SessionState session, String queryId) {
    ObjectNode d = JsonExchange.JSON.createObjectNode();
    d.putArray("parameters");
    ArrayNode rowtype = d.putArray("rowtype");
    for (Column c : result.columns()) {
      ObjectNode col = rowtype.addObject();
      col.put("name", c.name());
      col.put("database", "");
      col.put("schema", "");
      col.put("table", "");
      col.put("type", c.type());
      col.put("nullable", c.nullable());
      col.put("precision", c.precision());
      col.put("scale", c.scale());
      col.put("length", c.type().equals("text") ? 16777216 : 0);
      col.put("byteLength", c.type().equals("text") ? 16777216 : 0);
      col.putNull("collation");
    }
    ArrayNode rowset = d.putArray("rowset");
    for (List<String> row : result.rows()) {
      ArrayNode r = rowset.addArray();
      row.forEach(r::add);
    }
    d.put("total", result.rows().size());
    d.put("returned", result.rows().size());
    d.put("queryId", queryId);
    d.put("statementTypeId", result.statementTypeId());
    d.put("queryResultFormat", "json");
    d.put("version", 1);
    finalNames(d, session);
    return d;
  }

  /** The PUT/GET answer: the driver then moves bytes to or from the presigned URLs. */
  private ObjectNode transferData(FileTransfer transfer, String queryId) {
    ObjectNode d = JsonExchange.JSON.createObjectNode();
    d.put("command", transfer.command());
    ArrayNode src = d.putArray("src_locations");
    transfer.sourceLocations().forEach(src::add);
    d.put("parallel", 4);
    d.put("threshold", 200 * 1024 * 1024);
    d.put("autoCompress", transfer.autoCompress());
    d.put("overwrite", transfer.overwrite());
    d.put("sourceCompression", "auto_detect");
    d.put("clientShowEncryptionParameter", false);
    d.put("queryId", queryId);
    d.put("localLocation", transfer.localLocation());
    ObjectNode stageInfo = d.putObject("stageInfo");
    stageInfo.put("locationType", "GCS");
    stageInfo.put(
        "location",
        GCS_BUCKET + "/" + String.join("/", transfer.stageKey()) + "/" + transfer.prefix());
    stageInfo.put("path", transfer.prefix());
    stageInfo.put("region", "US-CENTRAL1");
    stageInfo.putNull("storageAccount");
    stageInfo.put("isClientSideEncrypted", false);
    stageInfo.putObject("creds");
    stageInfo.putNull("endPoint");
    List<String> urls = new ArrayList<>();
    for (String file : transfer.presignedFiles()) {
      urls.add(presignedUrl(transfer, file));
    }
    if (transfer.command().equals("UPLOAD")) {
      stageInfo.put("presignedUrl", urls.isEmpty() ? "" : urls.get(0));
      d.set("encryptionMaterial", encryptionMaterial(queryId));
    } else {
      stageInfo.putNull("presignedUrl");
      ArrayNode materials = d.putArray("encryptionMaterial");
      ArrayNode presigned = d.putArray("presignedUrls");
      urls.forEach(
          u -> {
            materials.add(encryptionMaterial(queryId));
            presigned.add(u);
          });
    }
    d.putArray("rowtype");
    d.putArray("rowset");
    d.put("statementTypeId", QueryResult.SELECT);
    return d;
  }

  private String presignedUrl(FileTransfer transfer, String file) {
    StringBuilder url = new StringBuilder(context.baseUrl().get()).append("/gcs");
    for (String part : transfer.stageKey()) {
      url.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    for (String part : (transfer.prefix() + file).split("/")) {
      if (!part.isEmpty()) {
        url.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    return url.toString();
  }

  /** Required by the driver even though stages are not client-side encrypted. */
  private static ObjectNode encryptionMaterial(String queryId) {
    ObjectNode m = JsonExchange.JSON.createObjectNode();
    m.put(
        "queryStageMasterKey", Base64.getEncoder().encodeToString(ClientSideEncryption.MASTER_KEY));
    m.put("queryId", queryId);
    m.put("smkId", 1);
    return m;
  }
}
