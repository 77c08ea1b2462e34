package io.pgsnow.sink.auth;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * An RSA private key from {@code snowflake.private.key}: PEM with or without its header lines, line
 * breaks optional, PKCS#8 (PEM label {@code PRIVATE KEY}), PKCS#1 (label {@code RSA PRIVATE KEY})
 * or encrypted PKCS#8 (label {@code ENCRYPTED PRIVATE KEY}) with a passphrase. Encrypted keys are
 * read with BouncyCastle, which knows every scheme openssl writes, including the {@code -v2 des3}
 * form of Snowflake's key-pair guide that the JDK cannot decrypt. A key without labels is taken as
 * plain PKCS#8 when it parses as one, otherwise as encrypted when a passphrase is set.
 */
public final class PrivateKeys {
  private static final String PKCS1_LABEL = "RSA PRIVATE KEY";
  private static final String ENCRYPTED_LABEL = "ENCRYPTED PRIVATE KEY";
  private static final String PASSPHRASE_HINT =
      "Cannot decrypt the private key: check snowflake.private.key.passphrase";

  private PrivateKeys() {}

  /** The key is encrypted and the passphrase is missing or wrong: the passphrase is to fix. */
  public static final class PassphraseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    PassphraseException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @throws IllegalArgumentException with a message fit for the user (never the key itself)
   */
  public static PrivateKey parse(String text, String passphrase) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("The private key is empty");
    }
    byte[] der = decodePem(text);
    boolean hasPassphrase = passphrase != null && !passphrase.isEmpty();
    if (text.contains("BEGIN " + PKCS1_LABEL)) {
      return rsaKey(pkcs1ToPkcs8(der));
    }
    if (text.contains("BEGIN " + ENCRYPTED_LABEL)) {
      if (!hasPassphrase) {
        throw new PassphraseException(
            "The private key is encrypted: set snowflake.private.key.passphrase", null);
      }
      return rsaKey(decrypt(der, passphrase));
    }
    try {
      return rsaKey(der);
    } catch (IllegalArgumentException notPlain) {
      if (!hasPassphrase) {
        throw new IllegalArgumentException(
            notPlain.getMessage()
                + " (if it is an encrypted key, set snowflake.private.key.passphrase)",
            notPlain.getCause());
      }
      return rsaKey(decrypt(der, passphrase));
    }
  }

  private static byte[] decodePem(String text) {
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The private key is not base64 PEM text", e);
    }
  }

  private static PrivateKey rsaKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "The private key is not an RSA key in PKCS#8 or PKCS#1 form", e);
    }
  }

  private static byte[] decrypt(byte[] der, String passphrase) {
    try {
      InputDecryptorProvider decryptor =
          new JceOpenSSLPKCS8DecryptorProviderBuilder()
              .setProvider(new BouncyCastleProvider())
              .build(passphrase.toCharArray());
      return new PKCS8EncryptedPrivateKeyInfo(der).decryptPrivateKeyInfo(decryptor).getEncoded();
    } catch (IOException | OperatorCreationException | PKCSException | RuntimeException e) {
      throw new PassphraseException(PASSPHRASE_HINT, e);
    }
  }

  /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo. */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    try {
      AlgorithmIdentifier rsa =
          new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
      return new PrivateKeyInfo(rsa, RSAPrivateKey.getInstance(pkcs1)).getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("The private key is not an RSA key in PKCS#1 form", e);
    }
  }
}
