package io.pgsnow.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.emulator.auth.RsaPublicKeys;
import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.load.LoadRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The emulator's own test API under {@code /emulator/}: users, faults, session expiry and load
 * history, for tests that run the emulator in another process. Unauthenticated by design: the
 * emulator is a local test backend.
 */
final class ControlEndpoint {

  private final EmulatorContext context;

  ControlEndpoint(EmulatorContext context) {
    this.context = context;
  }

  void handle(JsonExchange ex) throws IOException {
    String route = ex.method() + " " + ex.path().substring("/emulator".length());
    switch (route) {
      case "GET /health" -> ex.send(200, message("ok"));
      case "POST /users" -> users(ex.json());
      case "POST /faults/requests" -> requestFault(ex.json());
      case "POST /faults/loads" ->
          context
              .faults()
              .failLoads(
                  ex.json().path("pattern").asText(),
                  ex.json().path("message").asText("Injected load failure"));
      case "DELETE /faults" -> context.faults().clear();
      case "POST /sessions/expire" -> {
        ex.send(200, message("expired " + context.sessions().expireAll()));
        return;
      }
      case "GET /loads" -> {
        ex.send(200, loads(ex.query().get("pipe")));
        return;
      }
      default -> {
        ex.send(404, message("unknown control route " + route));
        return;
      }
    }
    if (!route.startsWith("GET")) {
      ex.send(200, message("ok"));
    }
  }

  private void users(JsonNode body) {
    String name = body.path("name").asText();
    if (body.hasNonNull("password")) {
      context.users().setPassword(name, body.path("password").asText());
    }
    if (body.hasNonNull("rsaPublicKey")) {
      context.users().setPublicKey(name, RsaPublicKeys.parse(body.path("rsaPublicKey").asText()));
    }
  }

  private void requestFault(JsonNode body) {
    Endpoint endpoint =
        Endpoint.valueOf(body.path("endpoint").asText("ANY").toUpperCase(Locale.ROOT));
    int times = body.path("times").asInt(1);
    long delay = body.path("delayMillis").asLong(0);
    if (delay > 0) {
      context.faults().delayRequests(endpoint, Duration.ofMillis(delay), times);
    }
    int status = body.path("httpStatus").asInt(0);
    if (status > 0) {
      context.faults().failRequests(endpoint, status, times);
    }
    long hold = body.path("timeoutMillis").asLong(0);
    if (hold > 0) {
      context.faults().timeoutRequests(endpoint, Duration.ofMillis(hold), times);
    }
  }

  private ObjectNode loads(String pipe) {
    ObjectNode root = JsonExchange.JSON.createObjectNode();
    ArrayNode files = root.putArray("loads");
    for (LoadRecord r : context.warehouse().metadata().loads(pipe)) {
      ObjectNode f = files.addObject();
      f.put("pipe", r.pipe());
      f.put("path", r.path());
      f.put("status", r.status());
      f.put("rowsLoaded", r.result().rowsLoaded());
      f.put("firstError", r.firstError().orElse(null));
    }
    return root;
  }

  private static ObjectNode message(String text) {
    ObjectNode node = JsonExchange.JSON.createObjectNode();
    node.put("message", text);
    return node;
  }
}
