package io.pgsnow.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.emulator.sql.SnowflakeSqlException;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DuckDB's failures mapped by their type and subtype. The messages are DuckDB 2.0's, as its JDBC
 * driver reports them on a connection with {@link Warehouse#ERRORS_AS_JSON} (recorded, so that this
 * test needs no DuckDB; the ITs run the live path).
 */
class DuckDbErrorsTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            "Parser Error: {\"exception_type\":\"Parser\",\"exception_message\":\"syntax error at"
                + " or near \\\"selec\\\"\",\"error_subtype\":\"SYNTAX_ERROR\"}",
            "001003",
            "Parser Error: syntax error at or near \"selec\""),
        Arguments.of(
            "{\"exception_type\":\"Catalog\",\"exception_message\":\"Table with name nope does not"
                + " exist!\\nDid you mean \\\"pg_enum\\\"?\",\"type\":\"Table\",\"name\":\"nope\","
                + "\"candidates\":\"pg_enum\",\"error_subtype\":\"MISSING_ENTRY\"}",
            "002003",
            "Object 'nope' does not exist or not authorized."),
        Arguments.of(
            "{\"exception_type\":\"Catalog\",\"exception_message\":\"Scalar Function with name"
                + " nofunc does not exist!\",\"type\":\"Scalar Function\",\"name\":\"nofunc\","
                + "\"error_subtype\":\"MISSING_ENTRY\"}",
            "002140",
            "Unknown function NOFUNC"),
        Arguments.of(
            "{\"exception_type\":\"Catalog\",\"exception_message\":\"Table with name \\\"t\\\""
                + " already exists!\",\"type\":\"Table\",\"name\":\"t\","
                + "\"error_subtype\":\"ENTRY_ALREADY_EXISTS\"}",
            "002043",
            "Catalog Error: Table with name \"t\" already exists!"),
        Arguments.of(
            "{\"exception_type\":\"Binder\",\"exception_message\":\"Referenced column \\\"nocol\\\""
                + " not found in FROM clause!\\nCandidate bindings: \\\"i\\\"\",\"name\":\"nocol\","
                + "\"error_subtype\":\"COLUMN_NOT_FOUND\"}",
            "000904",
            "invalid identifier 'nocol'"),
        Arguments.of(
            "{\"exception_type\":\"Binder\",\"exception_message\":\"DECIMAL type width must be"
                + " between 1 and 38\"}",
            "002043",
            "Binder Error: DECIMAL type width must be between 1 and 38"),
        Arguments.of(
            "{\"exception_type\":\"Conversion\",\"exception_message\":\"Could not convert string"
                + " 'a' to INT32\"}",
            "100038",
            "Conversion Error: Could not convert string 'a' to INT32"),
        Arguments.of(
            "{\"exception_type\":\"Out of Range\",\"exception_message\":\"Overflow in addition of"
                + " INT32 (2147483647 + 1)!\"}",
            "100039",
            "Out of Range Error: Overflow"),
        Arguments.of(
            "{\"exception_type\":\"Constraint\",\"exception_message\":\"Duplicate key \\\"i: 1\\\""
                + " violates primary key constraint.\"}",
            "100072",
            "Constraint Error: Duplicate key"),
        Arguments.of(
            "{\"exception_type\":\"Invalid Input\",\"exception_message\":\""
                + ConversionFunctions.UNSUPPORTED_MARKER
                + "HASH\"}",
            "002040",
            "Unsupported feature 'HASH'"),
        Arguments.of("Statement was closed", "000603", "Statement was closed"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void mapsByDuckDbsErrorType(String duckDb, String code, String message) {
    SnowflakeSqlException e = DuckDbErrors.translate(new SQLException(duckDb));
    assertThat(e.errorCode()).isEqualTo(code);
    assertThat(e.getMessage()).contains(message).doesNotContain("exception_type");
  }
}
