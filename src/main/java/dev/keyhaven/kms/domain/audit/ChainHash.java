package dev.keyhaven.kms.domain.audit;

/**
 * The link function of the audit chain: {@code h_i = SHA-256(h_{i-1} || seq_i || canonical_i)},
 * {@code seq_i} as 8 bytes big-endian, {@code h_0} = 32 zero bytes (docs/audit.md). Binding the
 * sequence number makes a record moved to another position fail its link.
 */
@FunctionalInterface
public interface ChainHash {
  int LENGTH = 32;

  byte[] link(byte[] previous, long seq, byte[] canonical);

  /** The hash before the first record. */
  static byte[] genesis() {
    return new byte[LENGTH];
  }
}
