package io.pgsnow.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.fault.Faults;
import io.pgsnow.emulator.fault.RequestJournal;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes every request to its endpoint, after applying any armed fault for it. */
public final class HttpRouter implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);

  private final EmulatorContext context;
  private final SessionEndpoints sessions;
  private final QueryEndpoint queries;
  private final StageObjectEndpoint stageObjects;
  private final SnowpipeEndpoint snowpipe;
  private final ControlEndpoint control;

  public HttpRouter(EmulatorContext context) {
    this.context = context;
    this.sessions = new SessionEndpoints(context);
    this.queries = new QueryEndpoint(context, sessions);
    this.stageObjects = new StageObjectEndpoint(context);
    this.snowpipe = new SnowpipeEndpoint(context);
    this.control = new ControlEndpoint(context);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    JsonExchange ex = new JsonExchange(exchange);
    String path = ex.path();
    Endpoint endpoint = endpointOf(path);
    if (endpoint != null) {
      ex.beforeResponse(
          status ->
              context
                  .journal()
                  .record(
                      new RequestJournal.RecordedRequest(
                          endpoint, ex.method(), path, ex.query(), status)));
    }
    try {
      LOG.debug("{} {}", ex.method(), path);
      Optional<Faults.RequestFault> fault =
          endpoint == null ? Optional.empty() : context.faults().nextRequestFault(endpoint);
      if (fault.isPresent() && injectFault(ex, endpoint, fault.get())) {
        return;
      }
      // A slow query-request is a slow statement: the query endpoint lets it be canceled.
      Duration slowQuery =
          endpoint == Endpoint.QUERY
              ? fault.map(Faults.RequestFault::delay).orElse(Duration.ZERO)
              : Duration.ZERO;
      route(ex, path, slowQuery);
    } catch (IOException | RuntimeException e) {
      if (ex.status() != 0) {
        // The answer was on its way: the client had already given up and closed the connection.
        LOG.info("Answer to {} {} not delivered: {}", ex.method(), path, e.toString());
        ex.closeWithoutResponse();
      } else {
        LOG.warn("Request {} {} failed", ex.method(), path, e);
        ex.send(500, JsonExchange.envelope(false, "000603", String.valueOf(e.getMessage()), null));
      }
    }
  }

  private void route(JsonExchange ex, String path, Duration slowQuery) throws IOException {
    if (path.startsWith("/gcs/")) {
      stageObjects.handle(ex);
    } else if (path.startsWith("/v1/data/pipes/")) {
      snowpipe.handle(ex);
    } else if (path.startsWith("/emulator/")) {
      control.handle(ex);
    } else if (path.startsWith("/queries/") && path.endsWith("/result")) {
      queries.result(ex);
    } else if (path.startsWith("/monitoring/queries/")) {
      queries.monitoring(ex);
    } else {
      switch (path) {
        case "/session/v1/login-request" -> sessions.login(ex);
        case "/session/token-request" -> sessions.renew(ex);
        case "/session/heartbeat" -> sessions.heartbeat(ex);
        case "/session" -> sessions.logout(ex);
        case "/telemetry/send", "/telemetry/send/sessionless" -> sessions.telemetry(ex);
        case "/queries/v1/query-request" -> queries.query(ex, slowQuery);
        case "/queries/v1/abort-request" -> queries.abort(ex);
        default -> ex.send(404, JsonExchange.envelope(false, "404", "Not found: " + path, null));
      }
    }
  }

  static Endpoint endpointOf(String path) {
    if (path.startsWith("/emulator/")) {
      return null;
    }
    if (path.startsWith("/gcs/")) {
      return Endpoint.STAGE_FILES;
    }
    if (path.startsWith("/v1/data/pipes/")) {
      return path.endsWith("/insertFiles")
          ? Endpoint.INSERT_FILES
          : path.endsWith("/insertReport") ? Endpoint.INSERT_REPORT : Endpoint.LOAD_HISTORY;
    }
    return switch (path) {
      case "/session/v1/login-request" -> Endpoint.LOGIN;
      case "/session/token-request" -> Endpoint.TOKEN_RENEWAL;
      case "/session/heartbeat" -> Endpoint.HEARTBEAT;
      case "/queries/v1/query-request" -> Endpoint.QUERY;
      case "/telemetry/send" -> Endpoint.TELEMETRY;
      default -> Endpoint.ANY;
    };
  }

  /**
   * Applies a fault; returns true when it already dealt with the request (an error status, or no
   * answer at all). A plain delay of a query-request is left to the query endpoint.
   */
  private boolean injectFault(JsonExchange ex, Endpoint endpoint, Faults.RequestFault fault)
      throws IOException {
    LOG.info("Injecting fault {} into {} {}", fault, ex.method(), ex.path());
    ex.body();
    if (fault.unanswered()) {
      pause(fault.delay());
      ex.closeWithoutResponse();
      return true;
    }
    if (fault.httpStatus() > 0) {
      pause(fault.delay());
      ex.send(
          fault.httpStatus(),
          JsonExchange.envelope(false, null, "Injected fault: HTTP " + fault.httpStatus(), null));
      return true;
    }
    if (endpoint != Endpoint.QUERY) {
      pause(fault.delay());
    }
    return false;
  }

  private void pause(Duration time) {
    try {
      context.faults().hold(time);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
