package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.AuthorizationRequest;
import dev.keyhaven.kms.domain.policy.KmsAuthorizer;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The rules a key policy must pass before CreateKey or PutKeyPolicy stores it (AWS KMS API
 * Reference, PutKeyPolicy Policy): at most 32 KB; only tab, LF, CR and U+0020–U+00FF; valid grammar
 * with a principal in every statement (MalformedPolicyDocumentException); and the policy lockout
 * safety check — the new policy must let the caller call PutKeyPolicy afterwards, unless
 * BypassPolicyLockoutSafetyCheck is true.
 */
@ApplicationScoped
public class KeyPolicies {
  /** AWS KMS quotas, "Key policy document size": 32 KB, not adjustable. */
  static final int MAX_POLICY_BYTES = 32 * 1024;

  private final PrincipalPolicyRepository identityPolicies;

  KeyPolicies(PrincipalPolicyRepository identityPolicies) {
    this.identityPolicies = identityPolicies;
  }

  /**
   * Parses and checks {@code policy} for the key {@code keyArn}; completes when it may be stored.
   */
  public Uni<Void> validate(
      RequestContext context, String keyArn, String policy, boolean bypassLockoutSafetyCheck) {
    PolicyDocument parsed = parse(policy, PolicyDocument.Kind.KEY_POLICY);
    if (bypassLockoutSafetyCheck) {
      return Uni.createFrom().voidItem();
    }
    return identityPolicies
        .find(context.caller().principal().identityPolicyOwner())
        .map(
            identity -> {
              AuthorizationRequest next =
                  new AuthorizationRequest(
                      context.caller().principalArn(),
                      context.accountId(),
                      KmsAction.PUT_KEY_POLICY.iamAction(),
                      keyArn,
                      Map.of());
              List<PolicyDocument> own =
                  identity
                      .map(
                          t ->
                              List.of(PolicyDocument.parse(t, PolicyDocument.Kind.IDENTITY_POLICY)))
                      .orElse(List.of());
              if (!KmsAuthorizer.decide(next, parsed, own, false).allowed()) {
                throw new KmsException(
                    ErrorCode.MALFORMED_POLICY_DOCUMENT,
                    "The new key policy will not allow you to update the key policy in the future.");
              }
              return null;
            });
  }

  /** Size, character set and grammar checks shared by key and identity policies. */
  public static PolicyDocument parse(String policy, PolicyDocument.Kind kind) {
    if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
      throw new KmsException(
          ErrorCode.LIMIT_EXCEEDED, "The policy exceeds the maximum size of 32768 bytes.");
    }
    for (int i = 0; i < policy.length(); i++) {
      char c = policy.charAt(i);
      if (!(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF))) {
        throw new KmsException(
            ErrorCode.MALFORMED_POLICY_DOCUMENT,
            "The policy contains a character outside tab, LF, CR and U+0020 to U+00FF.");
      }
    }
    return PolicyDocument.parse(policy, kind);
  }
}
