package io.pgsnow.emulator.stage;

import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Test fixture: encrypts an object the way the driver's EncryptionProvider does for GCS. */
public final class DriverStyleEncryption {

  private DriverStyleEncryption() {}

  /** Returns the base64 ciphertext and the {@code encryptiondata} metadata JSON. */
  public static String[] encrypt(byte[] plain) throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] fileKey = new byte[16];
    byte[] iv = new byte[16];
    random.nextBytes(fileKey);
    random.nextBytes(iv);
    Cipher data = Cipher.getInstance("AES/CBC/PKCS5Padding");
    data.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(fileKey, "AES"), new IvParameterSpec(iv));
    Cipher wrap = Cipher.getInstance("AES/ECB/PKCS5Padding");
    wrap.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ClientSideEncryption.MASTER_KEY, "AES"));
    String meta =
        "{\"EncryptionMode\":\"FullBlob\",\"WrappedContentKey\":{\"KeyId\":\"symmKey1\","
            + "\"EncryptedKey\":\""
            + Base64.getEncoder().encodeToString(wrap.doFinal(fileKey))
            + "\",\"Algorithm\":\"AES_CBC_256\"},\"ContentEncryptionIV\":\""
            + Base64.getEncoder().encodeToString(iv)
            + "\"}";
    return new String[] {Base64.getEncoder().encodeToString(data.doFinal(plain)), meta};
  }
}
