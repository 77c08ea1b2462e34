package io.pgsnow.sink.naming;

/** {@code database.schema.object}, each part quoted as needed. */
public record QualifiedName(Identifier database, Identifier schema, Identifier object) {

  public String sql() {
    return database.sql() + "." + schema.sql() + "." + object.sql();
  }

  @Override
  public String toString() {
    return sql();
  }
}
