package dev.keyhaven.kms.domain.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Walks stored audit records in sequence order and reports every way they differ from what was
 * written: a record whose hash does not link (edited, swapped or moved), missing sequence numbers
 * (deleted), a tail shorter than the head (truncated), and checkpoints that are missing, out of
 * order, unsigned or signed over other hashes — the checks of CloudTrail's {@code validate-logs},
 * per record instead of per file.
 *
 * <p>Feed records with {@link #accept} in ascending seq order, then call {@link #finish}. Memory is
 * bounded by the checkpoints of the range and {@link #MAX_FINDINGS}.
 */
public final class ChainVerifier {
  /** Findings beyond this many are counted, not kept. */
  public static final int MAX_FINDINGS = 1000;

  /** What is wrong. */
  public enum Problem {
    /** Records are missing between two present ones (deleted). */
    GAP,
    /** A record does not link to its predecessor: content, hash or position changed. */
    ALTERED,
    /** Records up to the head are missing (the tail was dropped). */
    TRUNCATED,
    /** The stored head names a record that is not the last one, or another hash. */
    HEAD_MISMATCH,
    /** A checkpoint's signature does not verify, or its signing key is unknown. */
    BAD_SIGNATURE,
    /** A checkpoint's head hash is not the stored hash of its last record. */
    CHECKPOINT_MISMATCH,
    /** Checkpoints do not cover the records contiguously or do not chain by signature. */
    CHECKPOINT_GAP,
    /** The head names a checkpoint that is not the last one stored. */
    CHECKPOINT_MISSING,
    /** A chain the last manifest names is gone. */
    CHAIN_MISSING,
    /** A manifest's signature does not verify, or its signing key is unknown. */
    MANIFEST_BAD_SIGNATURE,
    /** Manifests are not numbered without gaps or do not chain by signature. */
    MANIFEST_GAP,
    /**
     * A manifest names a record that is not stored with that hash (the chain was cut below it or
     * rewritten), or a chain's head that moved backwards or vanished in a later manifest.
     */
    MANIFEST_MISMATCH
  }

  /**
   * One problem, the chain and the sequence numbers involved (inclusive); a manifest's own problem
   * names chain 0 and the manifest numbers.
   */
  public record Finding(Problem problem, long chainId, long fromSeq, long toSeq, String detail) {}

  /** Checks a checkpoint's signature with the audit signing key it names. */
  @FunctionalInterface
  public interface SignatureCheck {
    boolean verify(Checkpoint checkpoint);
  }

  /**
   * The outcome.
   *
   * @param records how many records were read
   * @param checkpoints how many checkpoints were checked
   * @param findingCount all findings, including those beyond {@link #MAX_FINDINGS}
   */
  public record Report(
      long chainId,
      long fromSeq,
      long toSeq,
      long records,
      int checkpoints,
      long findingCount,
      List<Finding> findings) {
    public boolean ok() {
      return findingCount == 0;
    }
  }

  private final ChainHash hash;
  private final long chainId;
  private final long fromSeq;
  private final List<Checkpoint> checkpoints;
  private final Iterator<Checkpoint> pending;
  private Checkpoint nextCheckpoint;
  private final List<Finding> findings = new ArrayList<>();
  private long findingCount;
  private long expectedSeq;
  private byte[] previousHash;
  private long records;

  /**
   * @param chainId the chain walked
   * @param fromSeq the first record to check (1 for the whole chain)
   * @param anchorHash the stored hash of record {@code fromSeq - 1} ({@link
   *     ChainHash#genesis(long)} for 1), or null if that record is missing
   * @param checkpoints the checkpoints whose last record lies in the range, ascending, preceded by
   *     the one before the range if any (it anchors the signature chain)
   */
  public ChainVerifier(
      ChainHash hash,
      SignatureCheck signatures,
      long chainId,
      long fromSeq,
      byte[] anchorHash,
      List<Checkpoint> checkpoints) {
    this.hash = Objects.requireNonNull(hash);
    this.chainId = chainId;
    this.fromSeq = fromSeq;
    this.checkpoints = List.copyOf(checkpoints);
    this.expectedSeq = fromSeq;
    this.previousHash = anchorHash;
    if (anchorHash == null) {
      report(Problem.GAP, fromSeq - 1, fromSeq - 1, "the record before the range is missing");
    }
    checkCheckpointChain(signatures);
    this.pending = this.checkpoints.stream().filter(c -> c.lastSeq() >= fromSeq).iterator();
    this.nextCheckpoint = pending.hasNext() ? pending.next() : null;
  }

  /** The next stored record, in ascending seq order. */
  public void accept(long seq, byte[] storedHash, byte[] canonical) {
    records++;
    if (seq > expectedSeq) {
      report(Problem.GAP, expectedSeq, seq - 1, (seq - expectedSeq) + " record(s) missing");
      previousHash = null;
    } else if (seq < expectedSeq) {
      report(Problem.ALTERED, seq, seq, "sequence number out of order");
      return;
    }
    if (previousHash != null
        && !Arrays.equals(hash.link(previousHash, seq, canonical), storedHash)) {
      report(Problem.ALTERED, seq, seq, "the record does not match its hash chain link");
    }
    skipCheckpointsBefore(seq);
    if (nextCheckpoint != null && nextCheckpoint.lastSeq() == seq) {
      if (!Arrays.equals(nextCheckpoint.headHash(), storedHash)) {
        report(
            Problem.CHECKPOINT_MISMATCH,
            nextCheckpoint.firstSeq(),
            seq,
            "the checkpoint signed another hash for record " + seq);
      }
      advanceCheckpoint();
    }
    previousHash = storedHash;
    expectedSeq = seq + 1;
  }

  /**
   * Ends the walk.
   *
   * @param toSeq the last seq of the range
   * @param head the stored head when the range ends at the head (checks the tail), else null
   */
  public Report finish(long toSeq, ChainHead head) {
    long last = expectedSeq - 1;
    if (head != null) {
      if (last < head.lastSeq()) {
        report(Problem.TRUNCATED, last + 1, head.lastSeq(), "records up to the head are missing");
      } else if (last > head.lastSeq()) {
        report(Problem.HEAD_MISMATCH, head.lastSeq() + 1, last, "records beyond the stored head");
      } else if (last >= fromSeq
          && previousHash != null
          && !Arrays.equals(previousHash, head.lastHash())) {
        report(
            Problem.HEAD_MISMATCH, last, last, "the head names another hash for the last record");
      }
      checkLastCheckpoint(head);
    } else if (last < toSeq) {
      report(Problem.TRUNCATED, last + 1, toSeq, "records at the end of the range are missing");
    }
    skipCheckpointsBefore(Long.MAX_VALUE);
    int checked = (int) checkpoints.stream().filter(c -> c.lastSeq() >= fromSeq).count();
    return new Report(
        chainId, fromSeq, toSeq, records, checked, findingCount, List.copyOf(findings));
  }

  private void checkLastCheckpoint(ChainHead head) {
    Checkpoint last = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
    long lastSeq = last == null ? 0 : last.lastSeq();
    byte[] signature = last == null ? null : last.signature();
    if (lastSeq != head.checkpointSeq() || !Arrays.equals(signature, head.checkpointSignature())) {
      report(
          Problem.CHECKPOINT_MISSING,
          Math.min(lastSeq, head.checkpointSeq()) + 1,
          Math.max(lastSeq, head.checkpointSeq()),
          "the head names checkpoint " + head.checkpointSeq() + ", the last stored is " + lastSeq);
    }
  }

  private void checkCheckpointChain(SignatureCheck signatures) {
    Checkpoint previous = null;
    for (Checkpoint c : checkpoints) {
      if (c.lastSeq() >= fromSeq && !signatures.verify(c)) {
        report(
            Problem.BAD_SIGNATURE,
            c.firstSeq(),
            c.lastSeq(),
            "the checkpoint's signature does not verify");
      }
      boolean first = previous == null;
      if (first && c.lastSeq() >= fromSeq && c.firstSeq() == 1 && c.previousSignature() != null) {
        report(
            Problem.CHECKPOINT_GAP,
            c.firstSeq(),
            c.lastSeq(),
            "the first checkpoint names a predecessor");
      }
      if (first && c.firstSeq() != 1 && fromSeq == 1) {
        report(Problem.CHECKPOINT_GAP, 1, c.firstSeq() - 1, "no checkpoint covers these records");
      }
      if (!first
          && (c.firstSeq() != previous.lastSeq() + 1
              || !Arrays.equals(c.previousSignature(), previous.signature()))) {
        report(
            Problem.CHECKPOINT_GAP,
            previous.lastSeq() + 1,
            c.lastSeq(),
            "checkpoints do not chain: a checkpoint is missing or was altered");
      }
      previous = c;
    }
  }

  /** Reports every pending checkpoint whose last record was not seen before {@code seq}. */
  private void skipCheckpointsBefore(long seq) {
    while (nextCheckpoint != null && nextCheckpoint.lastSeq() < seq) {
      report(
          Problem.CHECKPOINT_MISMATCH,
          nextCheckpoint.firstSeq(),
          nextCheckpoint.lastSeq(),
          "the checkpoint's last record is missing");
      advanceCheckpoint();
    }
  }

  private void advanceCheckpoint() {
    nextCheckpoint = pending.hasNext() ? pending.next() : null;
  }

  private void report(Problem problem, long from, long to, String detail) {
    findingCount++;
    if (findings.size() < MAX_FINDINGS) {
      findings.add(new Finding(problem, chainId, from, to, detail));
    }
  }
}
