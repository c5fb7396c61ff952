package dev.keyhaven.kms.domain.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed statement that records {@code firstSeq..lastSeq} end in {@code headHash}, chained to the
 * previous checkpoint by its signature — the role of CloudTrail's hourly digest file (CloudTrail
 * User Guide, "CloudTrail digest file structure"), per N records or T seconds instead of per hour.
 *
 * @param chainId the chain whose records it covers
 * @param previousSignature the previous checkpoint's signature, null for the first
 * @param createdAt to the millisecond (what the database keeps exactly)
 * @param signingKeyId hex SHA-256 of the signing key's DER public key
 * @param signature ECDSA P-384 with SHA-384 over {@link #toBeSigned()}, DER
 */
public record Checkpoint(
    long chainId,
    long firstSeq,
    long lastSeq,
    byte[] headHash,
    byte[] previousSignature,
    Instant createdAt,
    String signingKeyId,
    byte[] signature) {

  /** The string to sign of chain 1's checkpoints (the trail's original chain). */
  public static final String FORMAT = "keyhaven-audit-checkpoint/1";

  /** The string to sign of every other chain's checkpoints: names the chain. */
  public static final String FORMAT_CHAINED = "keyhaven-audit-checkpoint/2";

  public Checkpoint {
    Objects.requireNonNull(headHash, "headHash");
    Objects.requireNonNull(createdAt, "createdAt");
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The string to sign, UTF-8: for chain 1 {@value #FORMAT}, else {@value #FORMAT_CHAINED} and the
   * chain id; then firstSeq, lastSeq, hex(headHash), createdAt (ISO 8601), hex(previousSignature)
   * or {@code null}, separated by {@code \n} — the layout of CloudTrail's digest string-to-sign. A
   * checkpoint therefore never verifies as another chain's.
   */
  public byte[] toBeSigned() {
    HexFormat hex = HexFormat.of();
    String text =
        (chainId == 1 ? FORMAT : FORMAT_CHAINED + "\n" + chainId)
            + "\n"
            + firstSeq
            + "\n"
            + lastSeq
            + "\n"
            + hex.formatHex(headHash)
            + "\n"
            + createdAt
            + "\n"
            + (previousSignature == null ? "null" : hex.formatHex(previousSignature));
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public Checkpoint withSignature(String keyId, byte[] value) {
    return new Checkpoint(
        chainId, firstSeq, lastSeq, headHash, previousSignature, createdAt, keyId, value);
  }
}
