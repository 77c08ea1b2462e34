package io.pgsnow.sink.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * The key-pair JWT that Snowpipe's REST API takes as its bearer token: RS256-signed, {@code iss =
 * ACCOUNT.USER.SHA256:<public key fingerprint>}, {@code sub = ACCOUNT.USER}, valid for at most one
 * hour. A token is reused until it is close to its expiry.
 */
final class SnowpipeJwt {

  /** Snowflake rejects tokens that live longer than one hour. */
  static final Duration LIFETIME = Duration.ofMinutes(59);

  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final String qualifiedUser;
  private final String fingerprint;
  private final PrivateKey privateKey;
  private final Clock clock;
  private String token;
  private Instant expiry = Instant.MIN;

  SnowpipeJwt(String account, String user, PrivateKey privateKey, Clock clock) {
    this.qualifiedUser = account.toUpperCase(Locale.ROOT) + "." + user.toUpperCase(Locale.ROOT);
    this.fingerprint = fingerprint(publicKeyOf(privateKey));
    this.privateKey = privateKey;
    this.clock = clock;
  }

  /** A valid token, renewed when it expires within five minutes. */
  synchronized String token() {
    Instant now = clock.instant();
    if (token == null || now.plus(RENEW_BEFORE_EXPIRY).isAfter(expiry)) {
      Instant issued = now.minusSeconds(1);
      expiry = issued.plus(LIFETIME);
      token = sign(issued, expiry);
    }
    return token;
  }

  private String sign(Instant issued, Instant expires) {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"iss\":\""
            + qualifiedUser
            + "."
            + fingerprint
            + "\",\"sub\":\""
            + qualifiedUser
            + "\",\"iat\":"
            + issued.getEpochSecond()
            + ",\"exp\":"
            + expires.getEpochSecond()
            + "}";
    String signingInput = base64(header) + "." + base64(claims);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(privateKey);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign the Snowpipe token: " + e.getMessage(), e);
    }
  }

  /** {@code SHA256:} and the base64 SHA-256 digest of the DER-encoded public key. */
  static String fingerprint(PublicKey publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return "SHA256:" + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public half of an RSA private key in CRT form, as PKCS#8 RSA keys are. */
  static PublicKey publicKeyOf(PrivateKey privateKey) {
    if (!(privateKey instanceof RSAPrivateCrtKey rsa)) {
      throw new IllegalArgumentException("Snowflake key-pair authentication needs an RSA key");
    }
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Cannot derive the public key: " + e.getMessage(), e);
    }
  }

  private static String base64(String json) {
    return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
