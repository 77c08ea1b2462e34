package io.pgsnow.emulator.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DuckDB failure as DuckDB classifies it. DuckDB's JDBC driver throws a plain {@code
 * SQLException} without a SQLSTATE for every failure; on a connection with {@code SET
 * errors_as_json = true} (the emulator's session and loader connections) its message is DuckDB's
 * structured error: {@code exception_type} (Catalog, Binder, Conversion, …), {@code error_subtype}
 * ({@code MISSING_ENTRY}, {@code COLUMN_NOT_FOUND}, …), the entry's {@code type} and {@code name},
 * and the {@code exception_message}. Parser errors keep a {@code Parser Error: } prefix before the
 * JSON. A message that is not JSON (a failure of the Java driver itself) gives its {@code X Error:}
 * prefix as the type, or none.
 *
 * @param type DuckDB's exception type ({@code Catalog}, {@code Out of Range}, …), empty if unknown
 * @param subtype DuckDB's error subtype, empty if it gives none
 * @param entryType the kind of catalog entry concerned ({@code Table}, {@code Scalar Function}, …)
 * @param name the name of the entry or column concerned, empty if none
 * @param message DuckDB's message, without the type
 */
public record DuckDbFailure(
    String type, String subtype, String entryType, String name, String message) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PREFIX = Pattern.compile("^([A-Za-z][A-Za-z ]*?) Error: ");

  public static DuckDbFailure of(String text) {
    String message = text == null ? "" : text;
    Matcher prefix = PREFIX.matcher(message);
    String type = prefix.find() ? prefix.group(1) : "";
    String rest = type.isEmpty() ? message : message.substring(prefix.end());
    if (rest.startsWith("{")) {
      try {
        JsonNode json = JSON.readTree(rest);
        return new DuckDbFailure(
            json.path("exception_type").asText(type),
            json.path("error_subtype").asText(""),
            json.path("type").asText(""),
            json.path("name").asText(""),
            json.path("exception_message").asText(""));
      } catch (JsonProcessingException e) {
        // not DuckDB's structured error after all: read as text
      }
    }
    return new DuckDbFailure(type, "", "", "", rest);
  }

  /** The first line as DuckDB words it in text: {@code Binder Error: …}. */
  public String firstLine() {
    String line = message.lines().findFirst().orElse("");
    return type.isEmpty() ? line : type + " Error: " + line;
  }
}
