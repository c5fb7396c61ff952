package dev.keyhaven.kms.domain.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The verifier against an in-memory chain: clean chains verify, and each kind of tampering is
 * reported as its own problem with the sequence numbers involved. Signatures are stood in for by a
 * keyed digest here; the real ECDSA signer is exercised by the @QuarkusTest suites.
 */
class ChainVerifierTest {
  private static final ChainHash SHA256 =
      (previous, seq, canonical) -> {
        MessageDigest d = sha256();
        d.update(previous);
        for (int shift = 56; shift >= 0; shift -= 8) {
          d.update((byte) (seq >>> shift));
        }
        return d.digest(canonical);
      };

  private record Stored(long seq, byte[] hash, byte[] canonical) {}

  /** A chain of {@code n} records with a checkpoint every {@code every} records. */
  private static final class Chain {
    final List<Stored> records = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();
    ChainHead head;

    Chain(int n, int every) {
      byte[] previous = ChainHash.genesis();
      byte[] lastSignature = null;
      long checkpointSeq = 0;
      for (long seq = 1; seq <= n; seq++) {
        byte[] canonical =
            ("{\"eventName\":\"Encrypt\",\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
        previous = SHA256.link(previous, seq, canonical);
        records.add(new Stored(seq, previous, canonical));
        if (seq % every == 0) {
          Checkpoint c =
              sign(
                  new Checkpoint(
                      1,
                      checkpointSeq + 1,
                      seq,
                      previous,
                      lastSignature,
                      Instant.EPOCH,
                      "k",
                      null));
          checkpoints.add(c);
          lastSignature = c.signature();
          checkpointSeq = seq;
        }
      }
      head = new ChainHead(1, n, previous, checkpointSeq, lastSignature, Instant.EPOCH);
    }

    ChainVerifier.Report verify() {
      ChainVerifier v =
          new ChainVerifier(
              SHA256, ChainVerifierTest::signatureOk, 1, 1, ChainHash.genesis(), checkpoints);
      records.forEach(r -> v.accept(r.seq(), r.hash(), r.canonical()));
      return v.finish(head.lastSeq(), head);
    }
  }

  private static Checkpoint sign(Checkpoint c) {
    return c.withSignature("k", sha256().digest(c.toBeSigned()));
  }

  private static boolean signatureOk(Checkpoint c) {
    return Arrays.equals(sha256().digest(c.toBeSigned()), c.signature());
  }

  private static Set<ChainVerifier.Problem> problems(ChainVerifier.Report report) {
    return report.findings().stream()
        .map(ChainVerifier.Finding::problem)
        .collect(Collectors.toSet());
  }

  @Test
  void cleanChain_verifies() {
    ChainVerifier.Report report = new Chain(250, 50).verify();
    assertTrue(report.ok(), report.findings().toString());
    assertEquals(250, report.records());
    assertEquals(5, report.checkpoints());
  }

  @Test
  void chains_haveTheirOwnGenesis_andCheckpointsThatNameThem() {
    // Chain 1 keeps the v4 genesis and string to sign, so a migrated trail still verifies.
    assertTrue(Arrays.equals(new byte[32], SHA256.genesis(1)));
    assertFalse(Arrays.equals(SHA256.genesis(1), SHA256.genesis(2)));
    assertFalse(Arrays.equals(SHA256.genesis(2), SHA256.genesis(3)));
    Checkpoint one = new Checkpoint(1, 1, 50, new byte[32], null, Instant.EPOCH, null, null);
    assertTrue(
        new String(one.toBeSigned(), StandardCharsets.UTF_8)
            .startsWith(Checkpoint.FORMAT + "\n1\n50\n"));
    Checkpoint two = sign(new Checkpoint(2, 1, 50, new byte[32], null, Instant.EPOCH, null, null));
    assertTrue(
        new String(two.toBeSigned(), StandardCharsets.UTF_8)
            .startsWith(Checkpoint.FORMAT_CHAINED + "\n2\n1\n50\n"));
    // The same checkpoint presented as another chain's no longer verifies.
    Checkpoint moved =
        new Checkpoint(
            3, 1, 50, new byte[32], null, Instant.EPOCH, two.signingKeyId(), two.signature());
    assertTrue(signatureOk(two));
    assertFalse(signatureOk(moved));
    assertFalse(
        signatureOk(
            new Checkpoint(
                1, 1, 50, new byte[32], null, Instant.EPOCH, two.signingKeyId(), two.signature())));
  }

  @Test
  void recordsLinkedFromAnotherChainsGenesis_doNotVerify() {
    Chain chain = new Chain(60, 50);
    ChainVerifier v =
        new ChainVerifier(
            SHA256, ChainVerifierTest::signatureOk, 2, 1, SHA256.genesis(2), chain.checkpoints);
    chain.records.forEach(r -> v.accept(r.seq(), r.hash(), r.canonical()));
    ChainVerifier.Report report = v.finish(chain.head.lastSeq(), chain.head);
    assertEquals(
        List.of(
            new ChainVerifier.Finding(
                ChainVerifier.Problem.ALTERED,
                2,
                1,
                1,
                "the record does not match its hash chain link")),
        report.findings().stream()
            .filter(f -> f.problem() == ChainVerifier.Problem.ALTERED)
            .toList());
  }

  @Test
  void editedRecord_isAlteredAtItsSeq() {
    Chain chain = new Chain(100, 50);
    Stored r = chain.records.get(41);
    chain.records.set(
        41,
        new Stored(
            r.seq(), r.hash(), "{\"eventName\":\"Decrypt\"}".getBytes(StandardCharsets.UTF_8)));
    ChainVerifier.Report report = chain.verify();
    assertEquals(
        List.of(
            new ChainVerifier.Finding(
                ChainVerifier.Problem.ALTERED,
                1,
                42,
                42,
                "the record does not match its hash chain link")),
        report.findings());
  }

  @Test
  void deletedRecord_isAGap() {
    Chain chain = new Chain(100, 50);
    chain.records.remove(9);
    ChainVerifier.Report report = chain.verify();
    assertFalse(report.ok());
    assertEquals(ChainVerifier.Problem.GAP, report.findings().get(0).problem());
    assertEquals(10, report.findings().get(0).fromSeq());
    assertEquals(10, report.findings().get(0).toSeq());
  }

  @Test
  void swappedRecords_areBothAltered() {
    Chain chain = new Chain(100, 50);
    Stored a = chain.records.get(20);
    Stored b = chain.records.get(21);
    chain.records.set(20, new Stored(a.seq(), b.hash(), b.canonical()));
    chain.records.set(21, new Stored(b.seq(), a.hash(), a.canonical()));
    ChainVerifier.Report report = chain.verify();
    assertEquals(Set.of(ChainVerifier.Problem.ALTERED), problems(report));
    assertTrue(report.findings().stream().anyMatch(f -> f.fromSeq() == 21));
    assertTrue(report.findings().stream().anyMatch(f -> f.fromSeq() == 22));
  }

  @Test
  void droppedTail_isTruncated() {
    Chain chain = new Chain(120, 50);
    chain.records.subList(110, 120).clear();
    ChainVerifier.Report report = chain.verify();
    assertEquals(
        List.of(
            new ChainVerifier.Finding(
                ChainVerifier.Problem.TRUNCATED,
                1,
                111,
                120,
                "records up to the head are missing")),
        report.findings());
  }

  @Test
  void droppedTailPastACheckpoint_isTruncatedAndTheCheckpointUnmatched() {
    Chain chain = new Chain(120, 50);
    chain.records.subList(90, 120).clear();
    Set<ChainVerifier.Problem> found = problems(chain.verify());
    assertTrue(found.contains(ChainVerifier.Problem.TRUNCATED), found.toString());
    assertTrue(found.contains(ChainVerifier.Problem.CHECKPOINT_MISMATCH), found.toString());
  }

  @Test
  void rewrittenChainAfterACheckpoint_isCaughtByTheCheckpoint() {
    Chain chain = new Chain(100, 50);
    // An attacker edits record 30 and recomputes every later hash and the head consistently.
    byte[] previous = chain.records.get(28).hash();
    for (int i = 29; i < 100; i++) {
      Stored r = chain.records.get(i);
      byte[] canonical =
          i == 29 ? "{\"forged\":true}".getBytes(StandardCharsets.UTF_8) : r.canonical();
      previous = SHA256.link(previous, r.seq(), canonical);
      chain.records.set(i, new Stored(r.seq(), previous, canonical));
    }
    chain.head =
        new ChainHead(
            1,
            100,
            previous,
            chain.head.checkpointSeq(),
            chain.head.checkpointSignature(),
            Instant.EPOCH);
    assertEquals(Set.of(ChainVerifier.Problem.CHECKPOINT_MISMATCH), problems(chain.verify()));
  }

  @Test
  void alteredCheckpoint_hasABadSignature() {
    Chain chain = new Chain(100, 50);
    Checkpoint c = chain.checkpoints.get(0);
    chain.checkpoints.set(
        0,
        new Checkpoint(
            1,
            c.firstSeq(),
            c.lastSeq(),
            c.headHash(),
            c.previousSignature(),
            Instant.ofEpochSecond(5),
            c.signingKeyId(),
            c.signature()));
    assertEquals(Set.of(ChainVerifier.Problem.BAD_SIGNATURE), problems(chain.verify()));
  }

  @Test
  void deletedMiddleCheckpoint_breaksTheCheckpointChain() {
    Chain chain = new Chain(150, 50);
    chain.checkpoints.remove(1);
    assertEquals(Set.of(ChainVerifier.Problem.CHECKPOINT_GAP), problems(chain.verify()));
  }

  @Test
  void deletedLastCheckpoint_isMissingAgainstTheHead() {
    Chain chain = new Chain(150, 50);
    chain.checkpoints.remove(2);
    assertEquals(Set.of(ChainVerifier.Problem.CHECKPOINT_MISSING), problems(chain.verify()));
  }

  @Test
  void headNamingAnotherHash_isHeadMismatch() {
    Chain chain = new Chain(60, 50);
    byte[] other = chain.head.lastHash().clone();
    other[0] ^= 1;
    chain.head =
        new ChainHead(
            1,
            60,
            other,
            chain.head.checkpointSeq(),
            chain.head.checkpointSignature(),
            Instant.EPOCH);
    assertEquals(Set.of(ChainVerifier.Problem.HEAD_MISMATCH), problems(chain.verify()));
  }

  @Test
  void rangeVerification_anchorsOnThePreviousRecord() {
    Chain chain = new Chain(200, 50);
    ChainVerifier v =
        new ChainVerifier(
            SHA256,
            ChainVerifierTest::signatureOk,
            1,
            101,
            chain.records.get(99).hash(),
            chain.checkpoints.subList(1, 3));
    chain.records.subList(100, 150).forEach(r -> v.accept(r.seq(), r.hash(), r.canonical()));
    ChainVerifier.Report report = v.finish(150, null);
    assertTrue(report.ok(), report.findings().toString());
    assertEquals(50, report.records());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
