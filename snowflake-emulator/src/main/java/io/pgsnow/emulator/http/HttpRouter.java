package io.pgsnow.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.fault.Faults;
import java.io.IOException;
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
    try {
      String path = ex.path();
      LOG.debug("{} {}", ex.method(), path);
      Endpoint endpoint = endpointOf(path);
      if (endpoint != null && injectFault(ex, endpoint)) {
        return;
      }
      route(ex, path);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Request {} {} failed", ex.method(), ex.path(), e);
      ex.send(500, JsonExchange.envelope(false, "000603", String.valueOf(e.getMessage()), null));
    }
  }

  private void route(JsonExchange ex, String path) throws IOException {
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
        case "/queries/v1/query-request" -> queries.query(ex);
        case "/queries/v1/abort-request" -> ex.ok(JsonExchange.JSON.nullNode());
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

  /** Returns true when the fault already answered the request. */
  private boolean injectFault(JsonExchange ex, Endpoint endpoint) throws IOException {
    Faults faults = context.faults();
    Optional<Faults.RequestFault> fault = faults.nextRequestFault(endpoint);
    if (fault.isEmpty()) {
      return false;
    }
    LOG.info("Injecting fault {} into {} {}", fault.get(), ex.method(), ex.path());
    if (!fault.get().delay().isZero()) {
      try {
        Thread.sleep(fault.get().delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (fault.get().httpStatus() > 0) {
      ex.body();
      ex.send(
          fault.get().httpStatus(),
          JsonExchange.envelope(
              false, null, "Injected fault: HTTP " + fault.get().httpStatus(), null));
      return true;
    }
    return false;
  }
}
