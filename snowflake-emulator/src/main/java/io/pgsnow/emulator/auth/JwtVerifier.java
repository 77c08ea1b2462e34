package io.pgsnow.emulator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Verifies Snowflake key-pair JWTs: RS256 signed by one of the user's registered keys, {@code iss =
 * ACCOUNT.USER.SHA256:fp}, {@code sub = ACCOUNT.USER}, not expired. The account part is not checked
 * because clients derive it from the host name, which for a local emulator is arbitrary.
 */
public final class JwtVerifier {

  private static final long CLOCK_SKEW_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<String, List<PublicKey>> keysOfUser;
  private final Clock clock;

  public JwtVerifier(Function<String, List<PublicKey>> keysOfUser, Clock clock) {
    this.keysOfUser = keysOfUser;
    this.clock = clock;
  }

  /** Returns the upper-case user name the token proves, or throws. */
  public String verify(String jwt) {
    String[] parts = jwt == null ? new String[0] : jwt.trim().split("\\.");
    if (parts.length != 3) {
      throw invalid("malformed token");
    }
    JsonNode header = decode(parts[0]);
    JsonNode claims = decode(parts[1]);
    if (!"RS256".equals(header.path("alg").asText())) {
      throw invalid("unsupported algorithm " + header.path("alg").asText());
    }
    String subject = claims.path("sub").asText("");
    String user = afterFirstDot(subject).toUpperCase(Locale.ROOT);
    String issuer = claims.path("iss").asText("");
    int fpAt = issuer.indexOf(".SHA256:");
    if (user.isEmpty() || fpAt < 0) {
      throw invalid("missing sub or iss claim");
    }
    String fingerprint = issuer.substring(fpAt + 1);
    String issuerUser = afterFirstDot(issuer.substring(0, fpAt)).toUpperCase(Locale.ROOT);
    if (!issuerUser.equals(user)) {
      throw invalid("iss and sub name different users");
    }
    long now = clock.instant().getEpochSecond();
    if (claims.path("exp").asLong(0) + CLOCK_SKEW_SECONDS < now) {
      throw invalid("token expired");
    }
    PublicKey key =
        keysOfUser.apply(user).stream()
            .filter(k -> RsaPublicKeys.fingerprint(k).equals(fingerprint))
            .findFirst()
            .orElseThrow(() -> invalid("no registered public key matches " + fingerprint));
    if (!signatureValid(key, parts)) {
      throw invalid("signature verification failed");
    }
    return user;
  }

  private static String afterFirstDot(String text) {
    int dot = text.indexOf('.');
    return dot < 0 ? "" : text.substring(dot + 1);
  }

  private static JsonNode decode(String part) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(part));
    } catch (IOException | IllegalArgumentException e) {
      throw invalid("undecodable token part");
    }
  }

  private static boolean signatureValid(PublicKey key, String[] parts) {
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(key);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static AuthenticationException invalid(String why) {
    return new AuthenticationException(
        AuthenticationException.INVALID_JWT, "JWT token is invalid. (" + why + ")");
  }
}
