package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.operation.port.XksCrypto;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

/**
 * {@link XksCrypto} with the FIPS module: AES-256-GCM ({@link AesGcm}) under a key derived by SP
 * 800-108 counter-mode KDF from the version's material with the label {@code keyhaven:xks:v1} and
 * the key id and version as context — never the material itself, which also serves Keyhaven's own
 * ciphertexts.
 */
@ApplicationScoped
public class FipsXksCrypto implements XksCrypto {
  private static final byte[] LABEL = "keyhaven:xks:v1".getBytes(StandardCharsets.US_ASCII);
  private static final int TAG_LENGTH = AesGcm.TAG_BITS / 8;

  @Override
  public Sealed encrypt(
      UUID keyId, int version, SecretBytes material, byte[] plaintext, byte[] associatedData) {
    byte[] key = derive(keyId, version, material);
    try {
      byte[] sealed = AesGcm.seal(key, plaintext, associatedData);
      int tagAt = sealed.length - TAG_LENGTH;
      return new Sealed(
          Arrays.copyOfRange(sealed, 0, AesGcm.IV_LENGTH),
          Arrays.copyOfRange(sealed, AesGcm.IV_LENGTH, tagAt),
          Arrays.copyOfRange(sealed, tagAt, sealed.length));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public byte[] decrypt(
      UUID keyId,
      int version,
      SecretBytes material,
      byte[] iv,
      byte[] ciphertext,
      byte[] tag,
      byte[] associatedData) {
    byte[] key = derive(keyId, version, material);
    try {
      byte[] sealed =
          ByteBuffer.allocate(ciphertext.length + tag.length).put(ciphertext).put(tag).array();
      return AesGcm.open(key, iv, sealed, associatedData);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256", Fips.PROVIDER).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] derive(UUID keyId, int version, SecretBytes material) {
    byte[] context =
        ByteBuffer.allocate(20)
            .putLong(keyId.getMostSignificantBits())
            .putLong(keyId.getLeastSignificantBits())
            .putInt(version)
            .array();
    return CounterModeKdf.deriveKey(material.exposeForCrypto(), LABEL, context);
  }
}
