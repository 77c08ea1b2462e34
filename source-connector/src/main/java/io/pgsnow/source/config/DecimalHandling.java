package io.pgsnow.source.config;

/** How {@code numeric} / {@code decimal} columns are represented. */
public enum DecimalHandling {
  PRECISE,
  DOUBLE,
  STRING
}
