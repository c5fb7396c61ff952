package dev.keyhaven.kms.domain.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed and validated IAM policy: a KMS key policy or an identity-based policy.
 *
 * <p>Contract: {@link #parse} either returns a document whose every statement is well formed or
 * throws {@code KmsException(MALFORMED_POLICY_DOCUMENT)} with an AWS-like message. Accepted grammar
 * (IAM User Guide, "Grammar of the IAM JSON policy language"; AWS KMS PutKeyPolicy):
 *
 * <ul>
 *   <li>Text: at most 32768 bytes; only tab, LF, CR and U+0020–U+00FF (PutKeyPolicy "Policy"
 *       member, and IAM CreatePolicy's PolicyDocument pattern); strict JSON ({@link PolicyJson}).
 *   <li>Root: an object with {@code Version} (optional; "2012-10-17" or "2008-10-17"), {@code Id}
 *       (optional string) and {@code Statement} (an object or a non-empty array of objects); no
 *       other members. Statement ids, when given, are unique.
 *   <li>Statements: see {@link Statement}. {@code Principal}/{@code NotPrincipal} is required in
 *       key policies and forbidden in identity policies.
 * </ul>
 *
 * <p>Immutable and thread-safe; evaluation ({@link PolicyEvaluator}) never throws on a parsed
 * document.
 */
public final class PolicyDocument {
  /** Which kind of policy the text is; decides the Principal rule. */
  public enum Kind {
    KEY_POLICY,
    IDENTITY_POLICY
  }

  private static final Set<String> MEMBERS = Set.of("Version", "Id", "Statement");

  private final Kind kind;
  private final List<Statement> statements;

  private PolicyDocument(Kind kind, List<Statement> statements) {
    this.kind = kind;
    this.statements = statements;
  }

  /** Parses and validates; failure = KmsException(MALFORMED_POLICY_DOCUMENT, AWS-like message). */
  public static PolicyDocument parse(String json, Kind kind) {
    if (kind == null) {
      throw new IllegalArgumentException("kind");
    }
    if (json != null) {
      for (int i = 0; i < json.length(); i++) {
        char c = json.charAt(i);
        if (c > 0xFF || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
          throw Malformed.because(
              "The policy document contains a character outside the allowed"
                  + " set (tab, line feed, carriage return, U+0020 through U+00FF).");
        }
      }
    }
    if (!(PolicyJson.parse(json) instanceof Map<?, ?> root)) {
      throw Malformed.because("The policy document must be a JSON object.");
    }
    for (Object member : root.keySet()) {
      if (!MEMBERS.contains(member)) {
        throw Malformed.because("The policy document contains an unknown element: " + member);
      }
    }
    Object version = root.get("Version");
    if (root.containsKey("Version")
        && !"2012-10-17".equals(version)
        && !"2008-10-17".equals(version)) {
      throw Malformed.because(
          "The policy document has an invalid Version: it must be 2012-10-17 or 2008-10-17.");
    }
    if (root.containsKey("Id") && !(root.get("Id") instanceof String)) {
      throw Malformed.because("The Id of a policy document must be a string.");
    }
    Object body = root.get("Statement");
    List<?> rawStatements =
        body instanceof List<?> list ? list : body == null ? List.of() : List.of(body);
    if (rawStatements.isEmpty()) {
      throw Malformed.because("The policy document must contain at least one statement.");
    }
    List<Statement> parsed = new ArrayList<>(rawStatements.size());
    Set<String> sids = new HashSet<>();
    for (Object raw : rawStatements) {
      Statement s = Statement.parse(raw, kind);
      if (s.sid() != null && !s.sid().isEmpty() && !sids.add(s.sid())) {
        throw Malformed.because(
            "Statement IDs (SID) in a single policy must be unique: " + s.sid());
      }
      parsed.add(s);
    }
    return new PolicyDocument(kind, List.copyOf(parsed));
  }

  public Kind kind() {
    return kind;
  }

  /** The statements in document order. */
  public List<Statement> statements() {
    return statements;
  }
}
