package io.pgsnow.source.schema;

import java.util.Optional;

/** Looks up {@code pg_type} rows by OID; the replication side backs it with the catalog. */
@FunctionalInterface
public interface TypeResolver {
  Optional<PgType> lookup(int oid);

  TypeResolver NONE = oid -> Optional.empty();
}
