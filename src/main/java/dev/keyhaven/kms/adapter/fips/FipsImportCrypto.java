package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.WrappingAlgorithm;
import dev.keyhaven.kms.domain.key.WrappingKeySpec;
import dev.keyhaven.kms.operation.port.ImportCrypto;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * {@link ImportCrypto} with the FIPS module.
 *
 * <p>Token layout (all inside AES-256-GCM under the root key, purpose {@code import-token:<key
 * id>}, through {@link SecretWrapping#wrapSecret}): version 1 (1 byte), ParametersValidTo (8 bytes,
 * epoch seconds), wrapping algorithm and wrapping key spec (each a 1-byte length and its AWS name),
 * then the wrapping private key (PKCS#8 DER). A 4096-bit wrapping key gives a token of about 2.5 KB
 * (AWS allows 6144 bytes).
 *
 * <p>RSA_AES_KEY_WRAP_*: EncryptedKeyMaterial is the RSA-OAEP ciphertext of an AES key (exactly the
 * wrapping modulus length) followed by the AES-KWP (RFC 5649) wrapping of the material under that
 * key — the concatenation AWS's import guide makes with OpenSSL. AES keys of 128, 192 or 256 bits
 * are accepted.
 */
@ApplicationScoped
public class FipsImportCrypto implements ImportCrypto {
  private static final byte VERSION = 1;

  private final SecretWrapping crypto;

  FipsImportCrypto(SecretWrapping crypto) {
    this.crypto = crypto;
  }

  @Override
  public byte[] sealToken(UUID keyId, TokenContents contents) {
    byte[] algorithm = contents.algorithm().wireName().getBytes(StandardCharsets.US_ASCII);
    byte[] spec = contents.wrappingKeySpec().wireName().getBytes(StandardCharsets.US_ASCII);
    byte[] key = contents.wrappingPrivateKey().exposeForCrypto();
    ByteBuffer payload =
        ByteBuffer.allocate(1 + 8 + 1 + algorithm.length + 1 + spec.length + key.length);
    payload.put(VERSION).putLong(contents.validTo().getEpochSecond());
    payload.put((byte) algorithm.length).put(algorithm).put((byte) spec.length).put(spec).put(key);
    SecretBytes secret = SecretBytes.adopt(payload.array());
    try {
      return crypto.wrapSecret(purpose(keyId), secret);
    } finally {
      secret.wipe();
    }
  }

  @Override
  public TokenContents openToken(UUID keyId, byte[] token) {
    SecretBytes opened;
    try {
      opened = crypto.unwrapSecret(purpose(keyId), token);
    } catch (IllegalStateException e) {
      return null;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(opened.exposeForCrypto());
      if (in.get() != VERSION) {
        return null;
      }
      Instant validTo = Instant.ofEpochSecond(in.getLong());
      WrappingAlgorithm algorithm = AwsEnum.fromWire(WrappingAlgorithm.class, text(in));
      WrappingKeySpec spec = AwsEnum.fromWire(WrappingKeySpec.class, text(in));
      byte[] key = new byte[in.remaining()];
      in.get(key);
      return algorithm == null || spec == null
          ? null
          : new TokenContents(algorithm, spec, validTo, SecretBytes.adopt(key));
    } catch (RuntimeException e) {
      return null;
    } finally {
      opened.wipe();
    }
  }

  @Override
  public SecretBytes unwrapKeyMaterial(TokenContents token, byte[] encrypted) {
    byte[] privateKey = token.wrappingPrivateKey().exposeForCrypto();
    WrappingAlgorithm algorithm = token.algorithm();
    if (!algorithm.aesKeyWrap()) {
      return SecretBytes.adopt(FipsRsaOaep.decrypt(algorithm.oaepHash(), privateKey, encrypted));
    }
    int rsaLength = token.wrappingKeySpec().keySpec().bits() / 8;
    if (encrypted.length <= rsaLength) {
      throw KmsException.invalidCiphertext();
    }
    byte[] aesKey =
        FipsRsaOaep.decrypt(algorithm.oaepHash(), privateKey, Arrays.copyOf(encrypted, rsaLength));
    try {
      if (aesKey.length != 16 && aesKey.length != 24 && aesKey.length != 32) {
        throw KmsException.invalidCiphertext();
      }
      return SecretBytes.adopt(
          AesKeyWrapPad.unwrap(aesKey, Arrays.copyOfRange(encrypted, rsaLength, encrypted.length)));
    } finally {
      Arrays.fill(aesKey, (byte) 0);
    }
  }

  private static String text(ByteBuffer in) {
    byte[] bytes = new byte[in.get()];
    in.get(bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static String purpose(UUID keyId) {
    return "import-token:" + keyId;
  }
}
