package io.pgsnow.source.config;

import java.util.Optional;

/** The change operations that can be skipped, by their Debezium {@code op} code. */
public enum Operation {
  CREATE("c"),
  UPDATE("u"),
  DELETE("d"),
  TRUNCATE("t");

  private final String code;

  Operation(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<Operation> ofCode(String code) {
    for (Operation op : values()) {
      if (op.code.equals(code)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
