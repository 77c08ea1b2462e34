package io.pgsnow.sink.ingest;

/** Snowpipe's REST API answered with an HTTP error status. */
public final class SnowpipeResponseException extends Exception {

  private final int status;
  private final String body;

  public SnowpipeResponseException(String request, int status, String body) {
    super("Snowpipe " + request + " answered HTTP " + status + ": " + body);
    this.status = status;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }

  /** Server faults, throttling and request timeouts may pass; anything else will not. */
  public boolean isTransient() {
    return status >= 500 || status == 429 || status == 408;
  }
}
