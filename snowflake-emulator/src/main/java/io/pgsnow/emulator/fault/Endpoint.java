package io.pgsnow.emulator.fault;

/** The request kinds a fault can target. */
public enum Endpoint {
  LOGIN,
  TOKEN_RENEWAL,
  HEARTBEAT,
  QUERY,
  TELEMETRY,
  STAGE_FILES,
  INSERT_FILES,
  INSERT_REPORT,
  LOAD_HISTORY,
  ANY
}
