package io.pgsnow.source.schema;

/**
 * A row of {@code pg_type} as far as mapping needs it: {@code type} is {@code typtype} (b base, d
 * domain, e enum, c composite, r range), {@code category} is {@code typcategory} (A array, ...),
 * {@code elementOid} is an array's element type, {@code baseOid} a domain's base type.
 */
public record PgType(
    int oid,
    String name,
    char type,
    char category,
    int elementOid,
    int baseOid,
    java.util.List<String> enumLabels) {

  public PgType(int oid, String name, char type, char category, int elementOid, int baseOid) {
    this(oid, name, type, category, elementOid, baseOid, java.util.List.of());
  }

  public boolean isArray() {
    return category == 'A' && elementOid != 0;
  }

  public boolean isDomain() {
    return type == 'd';
  }

  public boolean isEnum() {
    return type == 'e';
  }
}
