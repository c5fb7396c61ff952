package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityStaleness.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scenario 3, several instances (security reference R5): two Keyhaven servers on one PostgreSQL
 * ({@code KMS_ENDPOINT} and {@code RELIABILITY_ENDPOINT_B}, one root key). Runs {@code
 * RELIABILITY_TRIALS} staleness trials of each kind ({@link ReliabilityStaleness}), then {@code
 * RELIABILITY_WRITERS} concurrent writers on one key for {@code RELIABILITY_SECONDS} ({@link
 * ReliabilityWriters}). Pass: 0 uses succeeded after the change's 200, every refusal the kind's
 * documented error, 0 setup failures, 0 invariant violations, a minimum of successful writes of
 * each kind (else the invariants hold vacuously), every 200 audited.
 */
public final class ReliabilityInstancesDriver {
  static final long MIN_ROTATIONS = 2;
  static final long MIN_DELETION_WINDOWS = 1;
  static final long MIN_ENCRYPTS = 5;
  static final long MIN_TAG_WRITERS = 8;

  public static void main(String[] args) throws Exception {
    String id = ReliabilityEnv.required("AWS_ACCESS_KEY_ID");
    String secret = ReliabilityEnv.required("AWS_SECRET_ACCESS_KEY");
    String granteeId = ReliabilityEnv.required("RELIABILITY_GRANTEE_KEY_ID");
    String granteeSecret = ReliabilityEnv.required("RELIABILITY_GRANTEE_SECRET");
    String[] endpoints = {
      ReliabilityEnv.required("KMS_ENDPOINT"), ReliabilityEnv.required("RELIABILITY_ENDPOINT_B")
    };
    ReliabilityClient[] root = new ReliabilityClient[2];
    ReliabilityClient[] grantee = new ReliabilityClient[2];
    ReliabilityAdmin[] admin = new ReliabilityAdmin[2];
    for (int i = 0; i < 2; i++) {
      root[i] = new ReliabilityClient(endpoints[i], id, secret);
      admin[i] = new ReliabilityAdmin(endpoints[i], id, secret);
      grantee[i] = new ReliabilityClient(endpoints[i], granteeId, granteeSecret);
    }
    ReliabilityJournal journal = new ReliabilityJournal();
    int perKind = ReliabilityEnv.integer("RELIABILITY_TRIALS", 25);
    ReliabilityStaleness staleness =
        new ReliabilityStaleness(
            root, admin, grantee, ReliabilityEnv.required("RELIABILITY_GRANTEE_ARN"), journal);
    List<String> kinds = List.of("disable", "delete", "revoke", "policy", "identity", "access-key");
    ReliabilityJournal.parallel(
        kinds.stream().map(kind -> (Runnable) () -> staleness.run(kind, perKind)).toList());
    List<Trial> trials = staleness.all();
    ReliabilityWriters writers = new ReliabilityWriters(root, journal);
    List<String> violations =
        writers.run(
            ReliabilityEnv.integer("RELIABILITY_WRITERS", 64),
            ReliabilityEnv.integer("RELIABILITY_SECONDS", 15));

    List<String> failures = new ArrayList<>();
    long missed = trials.stream().filter(t -> !t.refused()).count();
    List<String> setup = trials.stream().map(Trial::setupFailure).filter(Objects::nonNull).toList();
    List<String> wrong =
        trials.stream()
            .filter(t -> t.wrongRefusal() != null)
            .map(
                t ->
                    t.kind()
                        + ": "
                        + t.wrongRefusal()
                        + " instead of "
                        + ReliabilityStaleness.EXPECTED_REFUSAL.get(t.kind()))
            .toList();
    long[] millis =
        trials.stream().filter(Trial::refused).mapToLong(Trial::millis).sorted().toArray();
    if (missed > 0) {
      failures.add(missed + " uses succeeded after the change's 200 on the other instance");
    }
    if (!wrong.isEmpty()) {
      failures.add(
          wrong.size() + " uses refused with another error than documented, e.g. " + wrong.get(0));
    }
    if (!setup.isEmpty()) {
      failures.add(setup.size() + " trials failed to set up, e.g. " + setup.get(0));
    }
    if (trials.size() != kinds.size() * perKind) {
      failures.add(trials.size() + " trials ran of " + kinds.size() * perKind);
    }
    failures.addAll(violations.size() > 20 ? violations.subList(0, 20) : violations);
    // The invariants hold vacuously when nothing succeeded: each kind of write must have
    // succeeded often enough to have raced (the documented short runs: 4-7 rotations, 2 deletion
    // windows, 13-21 Encrypts, 16 tag writers).
    requireAtLeast(failures, "RotateKeyOnDemand answered 200", writers.rotations(), MIN_ROTATIONS);
    requireAtLeast(
        failures,
        "ScheduleKeyDeletion windows (200)",
        writers.pendingWindows(),
        MIN_DELETION_WINDOWS);
    requireAtLeast(failures, "Encrypt answered 200", writers.encrypts(), MIN_ENCRYPTS);
    requireAtLeast(
        failures,
        "tag writers with a TagResource answered 200",
        writers.tagWriters(),
        MIN_TAG_WRITERS);
    long missing = journal.checkAudited(failures);
    Map<String, Object> n = journal.counts();
    n.put("staleness_trials", trials.size());
    n.put("uses_after_change", missed);
    n.put("trial_setup_failures", setup.size());
    n.put("refusals_not_documented", wrong.size());
    n.put("refusal_after_change_p50_ms", ReliabilityJournal.percentile(millis, 50));
    n.put("refusal_after_change_max_ms", millis.length == 0 ? -1 : millis[millis.length - 1]);
    n.put("writers", ReliabilityEnv.integer("RELIABILITY_WRITERS", 64));
    n.put("writer_rotations_ok", writers.rotations());
    n.put("writer_pending_deletion_windows", writers.pendingWindows());
    n.put("writer_encrypts_ok", writers.encrypts());
    n.put("writer_tag_keys", writers.tagWriters());
    n.put("invariant_violations", violations.size());
    n.put("missing_audit", missing);
    System.exit(ReliabilityEnv.report("3-instances", n, failures));
  }

  private static void requireAtLeast(List<String> failures, String what, long got, long min) {
    if (got < min) {
      failures.add("only " + got + " " + what + " (at least " + min + "): the run proves nothing");
    }
  }
}
