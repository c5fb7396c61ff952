package dev.keyhaven.kms.domain.audit;

import dev.keyhaven.kms.domain.audit.ChainVerifier.Finding;
import dev.keyhaven.kms.domain.audit.ChainVerifier.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the manifests over the chains: each signed, numbered from 1 without gaps and chained by
 * signature; no chain's head moving backwards or vanishing from one manifest to the next; every
 * chain the last manifest names still stored, with the record it names under the hash it names.
 * Together with each chain's own walk ({@link ChainVerifier}) this finds a dropped chain and a tail
 * cut below the last manifest, which one chain's walk alone cannot.
 *
 * <p>Feed manifests with {@link #accept} in ascending order, then check the last one's heads
 * against the stored records with {@link #stored}, then {@link #findings}.
 */
public final class ManifestVerifier {
  /** Checks a manifest's signature with the audit signing key it names. */
  @FunctionalInterface
  public interface SignatureCheck {
    boolean verify(Manifest manifest);
  }

  private final SignatureCheck signatures;
  private final Set<Long> storedChains;
  private final List<Finding> findings = new ArrayList<>();
  private Manifest previous;
  private int checked;

  /**
   * @param storedChains the ids of the chains stored now
   */
  public ManifestVerifier(SignatureCheck signatures, Set<Long> storedChains) {
    this.signatures = signatures;
    this.storedChains = Set.copyOf(storedChains);
  }

  /** The next manifest, in ascending seq order. */
  public void accept(Manifest m) {
    checked++;
    if (!signatures.verify(m)) {
      report(
          Problem.MANIFEST_BAD_SIGNATURE,
          0,
          m.seq(),
          m.seq(),
          "the manifest's signature does not verify");
    }
    long expected = previous == null ? 1 : previous.seq() + 1;
    byte[] expectedSignature = previous == null ? null : previous.signature();
    if (m.seq() != expected || !Arrays.equals(m.previousSignature(), expectedSignature)) {
      report(
          Problem.MANIFEST_GAP,
          0,
          Math.min(expected, m.seq()),
          m.seq(),
          "manifests do not chain: a manifest is missing or was altered");
    }
    if (previous != null) {
      Map<Long, Long> now = new HashMap<>();
      m.heads().forEach(h -> now.put(h.chainId(), h.lastSeq()));
      for (Manifest.Head before : previous.heads()) {
        Long after = now.get(before.chainId());
        if (after == null || after < before.lastSeq()) {
          report(
              Problem.MANIFEST_MISMATCH,
              before.chainId(),
              after == null ? before.lastSeq() : after,
              before.lastSeq(),
              "manifest "
                  + m.seq()
                  + " names chain "
                  + before.chainId()
                  + (after == null ? " no more" : " behind manifest " + previous.seq()));
        }
      }
    }
    previous = m;
  }

  /**
   * The heads of the last manifest whose records {@link #stored} must be given, for chains still
   * stored; a chain no longer stored is reported here.
   */
  public List<Manifest.Head> headsToCheck() {
    if (previous == null) {
      return List.of();
    }
    List<Manifest.Head> out = new ArrayList<>();
    for (Manifest.Head h : previous.heads()) {
      if (storedChains.contains(h.chainId())) {
        out.add(h);
      } else {
        report(
            Problem.CHAIN_MISSING,
            h.chainId(),
            1,
            h.lastSeq(),
            "manifest " + previous.seq() + " names this chain; it is not stored");
      }
    }
    return out;
  }

  /** The stored hash of {@code head}'s record, null if that record is missing. */
  public void stored(Manifest.Head head, byte[] storedHash) {
    if (storedHash == null || !Arrays.equals(storedHash, head.lastHash())) {
      report(
          Problem.MANIFEST_MISMATCH,
          head.chainId(),
          head.lastSeq(),
          head.lastSeq(),
          "manifest "
              + previous.seq()
              + " names "
              + (storedHash == null ? "a record that is missing" : "another hash for this record"));
    }
  }

  /** How many manifests were checked. */
  public int manifests() {
    return checked;
  }

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  private void report(Problem problem, long chainId, long from, long to, String detail) {
    if (findings.size() < ChainVerifier.MAX_FINDINGS) {
      findings.add(new Finding(problem, chainId, from, to, detail));
    }
  }
}
