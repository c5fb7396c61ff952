package dev.keyhaven.kms.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the evaluation logic over random policies and requests ({@link RandomPolicies}):
 * adding a Deny or removing an Allow never turns a denial into an allow, adding an Allow or
 * removing a Deny never turns an allow into a denial (so an evaluator that denies everything, or
 * allows everything, fails), and nothing a parsed policy or a random text can contain makes
 * evaluation or parsing throw anything but MalformedPolicyDocumentException. Each property runs
 * over {@link #TRIES} seeds drawn from a fixed master seed (reproducible; a failure names its
 * seed), and must apply to at least {@link #MIN_APPLICABLE} of them so it cannot pass vacuously.
 */
class PolicyPropertiesTest {
  static final int TRIES = 5000;
  static final int MIN_APPLICABLE = 1000;
  private static final long MASTER_SEED = 0x4b6579686176656eL;
  private static final String NOISE = "{}[]\":,\\ 0e-tnu*?x\u00e9\u0001\u20ac";

  /** One random scenario: key policy, identity policies, request and grant flag. */
  private record Scenario(
      List<Map<String, Object>> key,
      List<List<Map<String, Object>>> identity,
      AuthorizationRequest request,
      boolean grant) {
    boolean allowed() {
      PolicyDocument keyDoc = RandomPolicies.parseOrNull(key, PolicyDocument.Kind.KEY_POLICY);
      assertNotNull(keyDoc, "generated key policies always parse");
      List<PolicyDocument> ids = new ArrayList<>();
      for (List<Map<String, Object>> p : identity) {
        ids.add(RandomPolicies.parseOrNull(p, PolicyDocument.Kind.IDENTITY_POLICY));
      }
      return KmsAuthorizer.decide(request, keyDoc, ids, grant).allowed();
    }
  }

  @Test
  void addingDenyStatement_toAnyPolicy_neverTurnsDenyIntoAllow() {
    assertHolds(PolicyPropertiesTest::addingDenyStatement_toAnyPolicy_neverTurnsDenyIntoAllow);
  }

  @Test
  void removingAllowStatement_fromAnyPolicy_neverTurnsDenyIntoAllow() {
    assertHolds(PolicyPropertiesTest::removingAllowStatement_fromAnyPolicy_neverTurnsDenyIntoAllow);
  }

  // The allow side: an evaluator that denied everything would satisfy the two properties above
  // (they only ever look at denials); these two apply only to allowed scenarios, so they need at
  // least MIN_APPLICABLE of them and fail for such an evaluator.

  @Test
  void addingAllowStatement_toAnyPolicy_neverTurnsAllowIntoDeny() {
    assertHolds(PolicyPropertiesTest::addingAllowStatement_toAnyPolicy_neverTurnsAllowIntoDeny);
  }

  @Test
  void removingDenyStatement_fromAnyPolicy_neverTurnsAllowIntoDeny() {
    // About one scenario in six is allowed with a Deny in it to remove: twice the seeds.
    assertHolds(
        PolicyPropertiesTest::removingDenyStatement_fromAnyPolicy_neverTurnsAllowIntoDeny,
        2 * TRIES);
  }

  @Test
  void evaluate_anyParsedPolicyAndRequest_neverThrows() {
    assertHolds(PolicyPropertiesTest::evaluate_anyParsedPolicyAndRequest_neverThrows);
  }

  @Test
  void parse_randomlyMutatedPolicyText_onlyEverThrowsMalformed() {
    assertHolds(PolicyPropertiesTest::parse_randomlyMutatedPolicyText_onlyEverThrowsMalformed);
  }

  /** Runs {@code property} over {@link #TRIES} seeds; it must apply to enough of them. */
  private static void assertHolds(LongPredicate property) {
    assertHolds(property, TRIES);
  }

  /** Runs {@code property} over {@code tries} seeds; it must apply to enough of them. */
  private static void assertHolds(LongPredicate property, int tries) {
    Random seeds = new Random(MASTER_SEED);
    int applicable = 0;
    for (int i = 0; i < tries; i++) {
      long seed = seeds.nextLong();
      try {
        if (property.test(seed)) {
          applicable++;
        }
      } catch (AssertionError e) {
        throw new AssertionError("property failed for seed " + seed + ": " + e.getMessage(), e);
      }
    }
    if (applicable < MIN_APPLICABLE) {
      throw new AssertionError(
          "property applied to only " + applicable + " of " + tries + " seeds");
    }
  }

  private static Scenario scenario(RandomPolicies gen) {
    return new Scenario(
        gen.keyPolicy(), gen.identityPolicies(), gen.request(), gen.random().nextInt(5) == 0);
  }

  private static boolean addingDenyStatement_toAnyPolicy_neverTurnsDenyIntoAllow(long seed) {
    return changeKeepsDecision(
        seed, false, true, "Deny", "a Deny statement turned a denial into an allow");
  }

  private static boolean removingAllowStatement_fromAnyPolicy_neverTurnsDenyIntoAllow(long seed) {
    return changeKeepsDecision(
        seed, false, false, "Allow", "removing an Allow statement turned a denial into an allow");
  }

  private static boolean addingAllowStatement_toAnyPolicy_neverTurnsAllowIntoDeny(long seed) {
    return changeKeepsDecision(
        seed, true, true, "Allow", "an Allow statement turned an allow into a denial");
  }

  private static boolean removingDenyStatement_fromAnyPolicy_neverTurnsAllowIntoDeny(long seed) {
    return changeKeepsDecision(
        seed, true, false, "Deny", "removing a Deny statement turned an allow into a denial");
  }

  /**
   * The property over one seed's scenario: when its decision is {@code allowed}, adding ({@code
   * add}) or removing a statement of {@code effect} keeps that decision. Returns whether it
   * applied.
   */
  private static boolean changeKeepsDecision(
      long seed, boolean allowed, boolean add, String effect, String message) {
    RandomPolicies gen = new RandomPolicies(seed);
    Scenario before = scenario(gen);
    if (before.allowed() != allowed) {
      return false;
    }
    Scenario after =
        add ? withStatementAdded(gen, before, effect) : withStatementRemoved(gen, before, effect);
    if (after == null) {
      return false;
    }
    assertEquals(allowed, after.allowed(), message);
    return true;
  }

  /**
   * {@code before} with a random {@code effect} statement in its key policy or an identity policy.
   */
  private static Scenario withStatementAdded(RandomPolicies gen, Scenario before, String effect) {
    List<Map<String, Object>> key = new ArrayList<>(before.key());
    List<List<Map<String, Object>>> identity = new ArrayList<>(before.identity());
    int target = gen.random().nextInt(identity.size() + 2);
    if (target == 0) {
      key.add(gen.random().nextInt(key.size() + 1), gen.statement(effect, true));
    } else if (target == 1) {
      identity.add(List.of(gen.statement(effect, false)));
    } else {
      List<Map<String, Object>> p = new ArrayList<>(identity.get(target - 2));
      p.add(gen.statement(effect, false));
      identity.set(target - 2, p);
    }
    return new Scenario(key, identity, before.request(), before.grant());
  }

  /** {@code before} without one random {@code effect} statement; null when none may go. */
  private static Scenario withStatementRemoved(RandomPolicies gen, Scenario before, String effect) {
    List<Map<String, Object>> key = new ArrayList<>(before.key());
    List<List<Map<String, Object>>> identity = new ArrayList<>(before.identity());
    // Candidates: (policy index, statement index); -1 is the key policy, which must keep one
    // statement.
    List<int[]> candidates = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      if (key.size() > 1 && key.get(i).get("Effect").equals(effect)) {
        candidates.add(new int[] {-1, i});
      }
    }
    for (int p = 0; p < identity.size(); p++) {
      for (int i = 0; i < identity.get(p).size(); i++) {
        if (identity.get(p).get(i).get("Effect").equals(effect)) {
          candidates.add(new int[] {p, i});
        }
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    int[] victim = candidates.get(gen.random().nextInt(candidates.size()));
    if (victim[0] < 0) {
      key.remove(victim[1]);
    } else {
      List<Map<String, Object>> p = new ArrayList<>(identity.get(victim[0]));
      p.remove(victim[1]);
      if (p.isEmpty()) {
        identity.remove(victim[0]);
      } else {
        identity.set(victim[0], p);
      }
    }
    return new Scenario(key, identity, before.request(), before.grant());
  }

  private static boolean evaluate_anyParsedPolicyAndRequest_neverThrows(long seed) {
    RandomPolicies gen = new RandomPolicies(seed);
    Scenario s = scenario(gen);
    PolicyDocument key = RandomPolicies.parseOrNull(s.key(), PolicyDocument.Kind.KEY_POLICY);
    assertNotNull(key);
    PolicyEvaluator.evaluate(key, s.request());
    List<PolicyDocument> ids = new ArrayList<>();
    for (List<Map<String, Object>> p : s.identity()) {
      PolicyDocument doc = RandomPolicies.parseOrNull(p, PolicyDocument.Kind.IDENTITY_POLICY);
      assertNotNull(doc);
      PolicyEvaluator.evaluate(doc, s.request());
      ids.add(doc);
    }
    KmsAuthorizer.Decision d = KmsAuthorizer.decide(s.request(), key, ids, s.grant());
    assertEquals(d.allowed(), d.denialMessage() == null);
    KmsAuthorizer.decide(s.request(), null, ids, s.grant());
    return true;
  }

  private static boolean parse_randomlyMutatedPolicyText_onlyEverThrowsMalformed(long seed) {
    RandomPolicies gen = new RandomPolicies(seed);
    Random r = gen.random();
    StringBuilder text = new StringBuilder(RandomPolicies.text(gen.keyPolicy()));
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      int at = r.nextInt(text.length() + 1);
      switch (r.nextInt(3)) {
        case 0 -> text.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
        case 1 -> {
          if (at < text.length()) text.deleteCharAt(at);
        }
        default -> {
          if (at < text.length()) text.setCharAt(at, (char) (32 + r.nextInt(95)));
        }
      }
    }
    for (PolicyDocument.Kind kind : PolicyDocument.Kind.values()) {
      try {
        PolicyDocument doc = PolicyDocument.parse(text.toString(), kind);
        PolicyEvaluator.evaluate(doc, gen.request());
      } catch (KmsException e) {
        assertEquals(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.code());
      }
    }
    return true;
  }
}
