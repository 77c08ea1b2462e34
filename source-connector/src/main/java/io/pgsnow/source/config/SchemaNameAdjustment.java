package io.pgsnow.source.config;

/** How the names of Connect schemas are made valid for schema registries. */
public enum SchemaNameAdjustment {
  AVRO,
  NONE
}
