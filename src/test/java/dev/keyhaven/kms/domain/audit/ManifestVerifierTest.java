package dev.keyhaven.kms.domain.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.ChainVerifier.Problem;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The manifest check against in-memory manifests and chains: a clean series verifies, and a dropped
 * chain, a chain cut below what the last manifest names, a head moving backwards, an altered or
 * missing manifest each show as their own problem. Signatures are stood in for by a digest; the
 * ECDSA signer is exercised by AuditTamperTest and AuditChainsTest.
 */
class ManifestVerifierTest {
  /** Three chains' stored record hashes by seq, and manifests over them. */
  private final Map<Long, Map<Long, byte[]>> stored = new HashMap<>();

  private final List<Manifest> manifests = new ArrayList<>();

  ManifestVerifierTest() {
    for (long chain = 1; chain <= 3; chain++) {
      Map<Long, byte[]> records = new HashMap<>();
      for (long seq = 1; seq <= 30; seq++) {
        records.put(seq, digest(chain + ":" + seq));
      }
      stored.put(chain, records);
    }
    byte[] previous = null;
    for (long m = 1; m <= 3; m++) {
      List<Manifest.Head> heads = new ArrayList<>();
      for (long chain = 1; chain <= 3; chain++) {
        long seq = m * 10 - (chain - 1);
        heads.add(new Manifest.Head(chain, seq, stored.get(chain).get(seq)));
      }
      Manifest signed =
          sign(new Manifest(m, Instant.ofEpochSecond(m * 300), heads, previous, null, null));
      manifests.add(signed);
      previous = signed.signature();
    }
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Manifest sign(Manifest m) {
    return m.withSignature(
        "k", digest(new String(m.toBeSigned(), java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static boolean signatureOk(Manifest m) {
    return Arrays.equals(
        digest(new String(m.toBeSigned(), java.nio.charset.StandardCharsets.UTF_8)), m.signature());
  }

  private List<ChainVerifier.Finding> verify() {
    ManifestVerifier v = new ManifestVerifier(ManifestVerifierTest::signatureOk, stored.keySet());
    manifests.forEach(v::accept);
    for (Manifest.Head h : v.headsToCheck()) {
      v.stored(h, stored.get(h.chainId()).get(h.lastSeq()));
    }
    assertEquals(manifests.size(), v.manifests());
    return v.findings();
  }

  private Set<Problem> problems() {
    return verify().stream().map(ChainVerifier.Finding::problem).collect(Collectors.toSet());
  }

  @Test
  void cleanManifests_verify() {
    assertEquals(List.of(), verify());
  }

  @Test
  void headsRoundTripThroughTheirStoredForm() {
    List<Manifest.Head> heads = manifests.get(2).heads();
    List<Manifest.Head> decoded = Manifest.decodeHeads(Manifest.encodeHeads(heads));
    assertEquals(heads.size(), decoded.size());
    for (int i = 0; i < heads.size(); i++) {
      assertEquals(heads.get(i).chainId(), decoded.get(i).chainId());
      assertEquals(heads.get(i).lastSeq(), decoded.get(i).lastSeq());
      assertTrue(Arrays.equals(heads.get(i).lastHash(), decoded.get(i).lastHash()));
    }
    assertThrows(IllegalArgumentException.class, () -> Manifest.decodeHeads("1 2\n"));
  }

  @Test
  void droppedChain_isMissing() {
    stored.remove(2L);
    List<ChainVerifier.Finding> findings = verify();
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(Problem.CHAIN_MISSING, findings.get(0).problem());
    assertEquals(2, findings.get(0).chainId());
  }

  @Test
  void chainCutBelowTheLastManifest_isAMismatch() {
    // Chain 3's records above 20 are gone; the last manifest names record 28.
    stored.get(3L).keySet().removeIf(seq -> seq > 20);
    List<ChainVerifier.Finding> findings = verify();
    assertEquals(
        List.of(
            new ChainVerifier.Finding(
                Problem.MANIFEST_MISMATCH, 3, 28, 28, "manifest 3 names a record that is missing")),
        findings);
  }

  @Test
  void rewrittenRecordNamedByTheLastManifest_isAMismatch() {
    stored.get(1L).put(30L, digest("forged"));
    assertEquals(Set.of(Problem.MANIFEST_MISMATCH), problems());
  }

  @Test
  void alteredManifest_hasABadSignature() {
    Manifest m = manifests.get(1);
    manifests.set(
        1,
        new Manifest(
            m.seq(),
            m.createdAt().plusSeconds(1),
            m.heads(),
            m.previousSignature(),
            m.signingKeyId(),
            m.signature()));
    assertEquals(Set.of(Problem.MANIFEST_BAD_SIGNATURE), problems());
  }

  @Test
  void deletedMiddleManifest_breaksTheManifestChain() {
    manifests.remove(1);
    assertEquals(Set.of(Problem.MANIFEST_GAP), problems());
  }

  @Test
  void headMovingBackwardsOrVanishing_isAMismatch() {
    // A forged (but validly chained and signed, e.g. with a stolen key) manifest 3 that names
    // chain 1 behind manifest 2 and leaves chain 2 out.
    Manifest m2 = manifests.get(1);
    List<Manifest.Head> heads =
        List.of(
            new Manifest.Head(1, 5, stored.get(1L).get(5L)),
            new Manifest.Head(3, 28, stored.get(3L).get(28L)));
    manifests.set(
        2, sign(new Manifest(3, Instant.ofEpochSecond(900), heads, m2.signature(), null, null)));
    List<ChainVerifier.Finding> findings = verify();
    assertEquals(
        Set.of(Problem.MANIFEST_MISMATCH),
        findings.stream().map(ChainVerifier.Finding::problem).collect(Collectors.toSet()));
    assertEquals(
        Set.of(1L, 2L),
        findings.stream().map(ChainVerifier.Finding::chainId).collect(Collectors.toSet()));
  }
}
