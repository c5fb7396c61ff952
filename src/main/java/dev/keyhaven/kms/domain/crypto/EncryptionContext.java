package dev.keyhaven.kms.domain.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * An encryption context: non-secret key-value pairs bound to a ciphertext as additional
 * authenticated data.
 *
 * <p>AWS KMS Developer Guide, "Encryption context": Decrypt needs an exact, case-sensitive match;
 * only the order of the pairs may differ. {@link #canonicalBytes()} makes order irrelevant: pairs
 * sorted by the UTF-8 bytes of their keys, written as a 2-byte count then {@code len16 | key |
 * len16 | value} per pair (the AWS Encryption SDK's serialization; an empty context is the count
 * 0).
 */
public final class EncryptionContext {
  public static final EncryptionContext EMPTY = new EncryptionContext(Map.of());

  private final Map<String, String> pairs;
  private final byte[] canonical;

  private EncryptionContext(Map<String, String> pairs) {
    this.pairs = Map.copyOf(pairs);
    this.canonical = canonicalize(this.pairs);
  }

  public static EncryptionContext of(Map<String, String> pairs) {
    return pairs == null || pairs.isEmpty() ? EMPTY : new EncryptionContext(pairs);
  }

  public Map<String, String> pairs() {
    return pairs;
  }

  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  /** The canonical form bound into the AAD. A copy: callers may not change ours. */
  public byte[] canonicalBytes() {
    return canonical.clone();
  }

  private static byte[] canonicalize(Map<String, String> pairs) {
    byte[][][] entries =
        pairs.entrySet().stream()
            .map(
                e ->
                    new byte[][] {
                      e.getKey().getBytes(StandardCharsets.UTF_8),
                      e.getValue().getBytes(StandardCharsets.UTF_8)
                    })
            .sorted(Comparator.comparing((byte[][] kv) -> kv[0], Arrays::compareUnsigned))
            .toArray(byte[][][]::new);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeLength(out, entries.length);
    for (byte[][] kv : entries) {
      writeLength(out, kv[0].length);
      out.writeBytes(kv[0]);
      writeLength(out, kv[1].length);
      out.writeBytes(kv[1]);
    }
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length > 0xFFFF) {
      throw new IllegalArgumentException("encryption context entry longer than 65535 bytes");
    }
    out.write(length >>> 8);
    out.write(length);
  }
}
