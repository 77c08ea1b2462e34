package io.pgsnow.emulator.sql;

/** Session facts that Snowflake's {@code CURRENT_*()} functions return. */
public record SessionValues(String user, String role, String warehouse, String account) {}
