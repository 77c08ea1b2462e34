package io.pgsnow.emulator.auth;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Decodes the {@code RSA_PUBLIC_KEY} text users register and computes Snowflake fingerprints. */
public final class RsaPublicKeys {

  private RsaPublicKeys() {}

  /** Accepts bare base64 DER or a PEM block, as {@code ALTER USER ... SET RSA_PUBLIC_KEY} does. */
  public static PublicKey parse(String text) {
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | InvalidKeySpecException | NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("Invalid RSA public key: " + e.getMessage(), e);
    }
  }

  /** {@code SHA256:<base64 of the SHA-256 of the DER SubjectPublicKeyInfo>}, as in JWT issuers. */
  public static String fingerprint(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return "SHA256:" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }
}
