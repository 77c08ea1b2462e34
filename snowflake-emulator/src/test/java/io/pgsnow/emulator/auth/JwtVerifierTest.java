package io.pgsnow.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final KeyPair KEYS = generate();
  private static final KeyPair OTHER = generate();

  private final JwtVerifier verifier =
      new JwtVerifier(
          user -> user.equals("LOADER") ? List.of(KEYS.getPublic()) : List.of(),
          Clock.fixed(NOW, ZoneOffset.UTC));

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jwt(KeyPair signer, KeyPair claimed, String user, long exp)
      throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        "{\"iss\":\"ACCT."
            + user
            + "."
            + RsaPublicKeys.fingerprint(claimed.getPublic())
            + "\",\"sub\":\"ACCT."
            + user
            + "\",\"iat\":"
            + (exp - 60)
            + ",\"exp\":"
            + exp
            + "}";
    String payload = b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(signer.getPrivate());
    rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + b64.encodeToString(rs256.sign());
  }

  @Test
  void acceptsATokenSignedByTheRegisteredKey() throws Exception {
    assertThat(verifier.verify(jwt(KEYS, KEYS, "loader", NOW.getEpochSecond() + 60)))
        .isEqualTo("LOADER");
  }

  @Test
  void rejectsUnknownKeyForgedSignatureAndExpiry() throws Exception {
    long exp = NOW.getEpochSecond() + 60;
    assertRejected(jwt(OTHER, OTHER, "LOADER", exp), "no registered public key");
    assertRejected(jwt(OTHER, KEYS, "LOADER", exp), "signature");
    assertRejected(jwt(KEYS, KEYS, "LOADER", NOW.getEpochSecond() - 3600), "expired");
    assertRejected("not-a-jwt", "malformed");
  }

  private void assertRejected(String token, String why) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(AuthenticationException.INVALID_JWT);
              assertThat(e.getMessage()).contains(why);
            });
  }

  @Test
  void fingerprintIsSha256OfTheEncodedKey() throws Exception {
    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256").digest(KEYS.getPublic().getEncoded());
    assertThat(RsaPublicKeys.fingerprint(KEYS.getPublic()))
        .isEqualTo("SHA256:" + Base64.getEncoder().encodeToString(digest));
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    assertThat(RsaPublicKeys.parse(pem)).isEqualTo(KEYS.getPublic());
  }
}
