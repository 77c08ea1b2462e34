package io.pgsnow.emulator.auth;

/** A rejected login, carrying the code the Snowflake drivers know. */
public class AuthenticationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Incorrect user name or password. */
  public static final String BAD_CREDENTIALS = "390100";

  /** JWT token is invalid (bad signature, unknown key, expired, wrong subject). */
  public static final String INVALID_JWT = "390144";

  private final String code;

  public AuthenticationException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
