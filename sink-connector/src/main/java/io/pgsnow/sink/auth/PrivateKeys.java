package io.pgsnow.sink.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * An RSA private key from {@code snowflake.private.key}: PEM with or without its header lines, line
 * breaks optional, PKCS#8 (PEM label {@code PRIVATE KEY}), PKCS#1 (label {@code RSA PRIVATE KEY})
 * or encrypted PKCS#8 (label {@code ENCRYPTED PRIVATE KEY}) with a passphrase.
 */
public final class PrivateKeys {
  private static final String PKCS1_LABEL = "RSA PRIVATE KEY";

  private PrivateKeys() {}

  /**
   * @throws IllegalArgumentException with a message fit for the user (never the key itself)
   */
  public static PrivateKey parse(String text, String passphrase) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("The private key is empty");
    }
    boolean pkcs1 = text.contains("BEGIN " + PKCS1_LABEL);
    boolean encrypted = text.contains("ENCRYPTED PRIVATE KEY");
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The private key is not base64 PEM text", e);
    }
    try {
      if (pkcs1) {
        der = pkcs1ToPkcs8(der);
      } else if (encrypted || (passphrase != null && !passphrase.isEmpty())) {
        der = decrypt(der, passphrase);
      }
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          encrypted
              ? "Cannot decrypt the private key: check snowflake.private.key.passphrase"
              : "The private key is not an RSA key in PKCS#8 or PKCS#1 form",
          e);
    }
  }

  private static byte[] decrypt(byte[] der, String passphrase)
      throws GeneralSecurityException, IOException {
    if (passphrase == null || passphrase.isEmpty()) {
      throw new GeneralSecurityException("encrypted key without passphrase");
    }
    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
    String algorithm = info.getAlgParameters().toString();
    SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
    Cipher cipher = Cipher.getInstance(algorithm);
    cipher.init(
        Cipher.DECRYPT_MODE,
        factory.generateSecret(new PBEKeySpec(passphrase.toCharArray())),
        info.getAlgParameters());
    return info.getKeySpec(cipher).getEncoded();
  }

  /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo. */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) throws IOException {
    byte[] rsaAlgorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[] {0x02, 0x01, 0x00});
    body.write(rsaAlgorithm);
    body.write(0x04);
    body.write(length(pkcs1.length));
    body.write(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.write(length(body.size()));
    body.writeTo(out);
    return out.toByteArray();
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }
}
