package io.pgsnow.source.config;

/** What the connector does about the publication at startup. */
public enum PublicationAutocreate {
  ALL_TABLES,
  FILTERED,
  DISABLED
}
