package dev.keyhaven.kms.domain.xks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.OptionalInt;

/**
 * The AES-GCM framing of the XKS proxy API (aws-kms-xksproxy-api-spec, Encrypt and Appendix C).
 *
 * <p>Keyhaven's {@code ciphertextMetadata} is 5 bytes: a format byte {@code 0x01} and the key
 * material version (big-endian int), so a rotated key still decrypts what older versions encrypted.
 * The AES-GCM AAD is the spec's: {@code 2-byte big-endian length of AAD || AAD || 1-byte length of
 * ciphertextMetadata || ciphertextMetadata}, so a changed metadata or a metadata passed as AAD
 * fails authentication.
 */
public final class XksCiphertext {
  /** Spec limits: what a proxy must accept (plaintext, ciphertext, AAD) and what it may return. */
  public static final int MAX_PLAINTEXT = 4300;

  public static final int MAX_AAD = 8192;
  public static final int MAX_METADATA = 20;
  public static final int TAG_LENGTH = 16;
  private static final byte FORMAT = 0x01;
  private static final int METADATA_LENGTH = 5;

  private XksCiphertext() {}

  /** The ciphertextMetadata naming material version {@code version}. */
  public static byte[] metadata(int version) {
    return ByteBuffer.allocate(METADATA_LENGTH).put(FORMAT).putInt(version).array();
  }

  /** The material version a ciphertextMetadata names, or empty if it is none of ours. */
  public static OptionalInt version(byte[] metadata) {
    if (metadata == null || metadata.length != METADATA_LENGTH || metadata[0] != FORMAT) {
      return OptionalInt.empty();
    }
    int version = ByteBuffer.wrap(metadata, 1, 4).getInt();
    return version < 1 ? OptionalInt.empty() : OptionalInt.of(version);
  }

  /** The AES-GCM associated data for the caller's AAD (null: none) and our metadata. */
  public static byte[] associatedData(byte[] aad, byte[] metadata) {
    byte[] a = aad == null ? new byte[0] : aad;
    byte[] m = metadata == null ? new byte[0] : metadata;
    ByteBuffer out = ByteBuffer.allocate(2 + a.length + 1 + m.length);
    out.putShort((short) a.length).put(a).put((byte) m.length).put(m);
    return out.array();
  }

  /**
   * The input of the ciphertext data integrity value (Appendix C): {@code AAD || ciphertextMetadata
   * || IV || ciphertext || tag}, absent fields empty, no lengths.
   */
  public static byte[] integrityInput(
      byte[] aad, byte[] metadata, byte[] iv, byte[] ciphertext, byte[] tag) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : new byte[][] {aad, metadata, iv, ciphertext, tag}) {
      if (part != null) {
        out.writeBytes(part);
      }
    }
    return out.toByteArray();
  }
}
