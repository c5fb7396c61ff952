package dev.keyhaven.kms.domain.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A signed statement of every chain's head at one moment, chained to the previous manifest by its
 * signature — CloudTrail's digest chain across log files, over chains instead of files. What a
 * manifest names cannot disappear unnoticed: neither a whole chain nor a chain's records up to the
 * head it names (docs/audit.md, "Chains").
 *
 * @param seq 1, 2, … without gaps
 * @param createdAt to the millisecond (what the database keeps exactly)
 * @param heads one entry per chain with records, ascending chain id
 * @param previousSignature the previous manifest's signature, null for the first
 */
public record Manifest(
    long seq,
    Instant createdAt,
    List<Head> heads,
    byte[] previousSignature,
    String signingKeyId,
    byte[] signature) {

  public static final String FORMAT = "keyhaven-audit-manifest/1";

  /** A chain's last record when the manifest was made. */
  public record Head(long chainId, long lastSeq, byte[] lastHash) {}

  public Manifest {
    Objects.requireNonNull(createdAt, "createdAt");
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    heads = List.copyOf(heads);
  }

  /**
   * The string to sign, UTF-8: {@value #FORMAT}, seq, createdAt (ISO 8601), hex(previousSignature)
   * or {@code null}, each followed by {@code \n}, then {@link #encodeHeads the heads}.
   */
  public byte[] toBeSigned() {
    String text =
        FORMAT
            + "\n"
            + seq
            + "\n"
            + createdAt
            + "\n"
            + (previousSignature == null ? "null" : HexFormat.of().formatHex(previousSignature))
            + "\n"
            + encodeHeads(heads);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public Manifest withSignature(String keyId, byte[] value) {
    return new Manifest(seq, createdAt, heads, previousSignature, keyId, value);
  }

  /** One line per head, {@code <chain id> <last seq> <hex last hash>\n}: the stored form. */
  public static String encodeHeads(List<Head> heads) {
    StringBuilder out = new StringBuilder();
    for (Head h : heads) {
      out.append(h.chainId())
          .append(' ')
          .append(h.lastSeq())
          .append(' ')
          .append(HexFormat.of().formatHex(h.lastHash()))
          .append('\n');
    }
    return out.toString();
  }

  /** The inverse of {@link #encodeHeads}; IllegalArgumentException if {@code text} is not one. */
  public static List<Head> decodeHeads(String text) {
    List<Head> heads = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ");
      if (parts.length != 3) {
        throw new IllegalArgumentException("not a manifest head line");
      }
      heads.add(
          new Head(
              Long.parseLong(parts[0]),
              Long.parseLong(parts[1]),
              HexFormat.of().parseHex(parts[2])));
    }
    return heads;
  }
}
