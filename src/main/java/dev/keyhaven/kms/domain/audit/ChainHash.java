package dev.keyhaven.kms.domain.audit;

import java.nio.charset.StandardCharsets;

/**
 * The link function of the audit chains: {@code h_i = SHA-256(h_{i-1} || seq_i || canonical_i)},
 * {@code seq_i} as 8 bytes big-endian (docs/audit.md). Binding the sequence number makes a record
 * moved to another position fail its link; each chain's own {@link #genesis(long) h_0} makes a
 * record moved to another chain fail it too.
 */
@FunctionalInterface
public interface ChainHash {
  int LENGTH = 32;

  byte[] link(byte[] previous, long seq, byte[] canonical);

  /** 32 zero bytes: the hash before chain 1's first record (the trail's original chain). */
  static byte[] genesis() {
    return new byte[LENGTH];
  }

  /**
   * The hash before chain {@code chainId}'s first record: {@link #genesis()} for chain 1, else
   * {@code link(genesis(), 0, "keyhaven-audit-chain/<chainId>")} — seq 0 is never a record's.
   */
  default byte[] genesis(long chainId) {
    return chainId == 1
        ? genesis()
        : link(genesis(), 0, ("keyhaven-audit-chain/" + chainId).getBytes(StandardCharsets.UTF_8));
  }
}
