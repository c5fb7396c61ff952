package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.domain.grant.GrantOperation;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.policy.AuthorizationRequest;
import dev.keyhaven.kms.domain.policy.KmsAuthorizer;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.GrantRepository;
import dev.keyhaven.kms.operation.port.PrincipalPolicyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides every request with AWS's evaluation logic (docs/identity.md): the key policy, the
 * caller's identity policy and grants, explicit Deny first. Parsed policies are cached by their
 * text, so a policy is parsed once however many requests it decides; a PutKeyPolicy takes effect on
 * the next request everywhere (the key row, and so its policy, is cached only with its version,
 * which the audit transaction checks: docs/key-hierarchy.md).
 *
 * <p>Grants (AWS KMS Developer Guide, "Grants in AWS KMS") are consulted only when the policies do
 * not allow: a grant on the key whose grantee is the caller (its exact ARN, or the role of an
 * assumed-role session), whose operations include the action and whose constraints the request's
 * encryption context satisfies allows it; an explicit Deny in a policy still wins. Grants are read
 * per request, so CreateGrant, RetireGrant and RevokeGrant take effect at once.
 */
@ApplicationScoped
public class Authorization {
  /** What a decision reads besides the key: the caller's identity policy, the key's aliases. */
  private record Inputs(IdentityPolicy identity, List<String> resourceAliases) {}

  private final PrincipalPolicyRepository identityPolicies;
  private final GrantRepository grants;
  private final AliasRepository aliases;
  private final PolicyCache cache = new PolicyCache(4096);

  Authorization(
      PrincipalPolicyRepository identityPolicies, GrantRepository grants, AliasRepository aliases) {
    this.aliases = aliases;
    this.identityPolicies = identityPolicies;
    this.grants = grants;
  }

  /**
   * Fails with AccessDeniedException (AWS's message) unless the caller may perform {@code action}
   * on {@code key} ({@code null} for actions that name no key, which IAM alone governs).
   */
  public Uni<Void> require(
      RequestContext context, KmsAction action, KmsKey key, Conditions conditions) {
    return require(context, action, key, conditions, key == null ? null : key.arn().toString());
  }

  /**
   * As {@link #require(RequestContext, KmsAction, KmsKey, Conditions)}, for a key the caller named
   * as {@code namedAs} (a key ARN or alias ARN as sent). When the key belongs to another account
   * and its policy does not admit the caller, the denial is {@link #denyWithoutKey}'s: the same
   * answer as for a key that does not exist, naming only {@code namedAs}.
   */
  public Uni<Void> require(
      RequestContext context, KmsAction action, KmsKey key, Conditions conditions, String namedAs) {
    return identityPolicies(context)
        .chain(
            identity ->
                resourceAliases(context, key, identity.text())
                    .map(aliases -> new Inputs(identity, aliases)))
        .chain(
            found -> {
              List<PolicyDocument> identity = found.identity().documents();
              Map<String, List<String>> values = conditionValues(context, key, conditions);
              if (found.resourceAliases() != null) {
                values.put("kms:resourcealiases", found.resourceAliases());
              }
              AuthorizationRequest request =
                  new AuthorizationRequest(
                      context.caller().principalArn(),
                      context.accountId(),
                      action.iamAction(),
                      key == null ? "*" : key.arn().toString(),
                      values);
              PolicyDocument keyPolicy =
                  key == null ? null : cache.get(key.policy(), PolicyDocument.Kind.KEY_POLICY);
              KmsAuthorizer.Decision decision =
                  KmsAuthorizer.decide(request, keyPolicy, identity, false);
              GrantOperation operation = GrantOperation.forAction(action);
              Uni<KmsAuthorizer.Decision> decided =
                  decision.allowed() || key == null || operation == null
                      ? Uni.createFrom().item(decision)
                      : grantAllows(context, key, operation, conditions)
                          .map(
                              byGrant ->
                                  byGrant
                                      ? KmsAuthorizer.decide(request, keyPolicy, identity, true)
                                      : decision);
              return decided.map(
                  d ->
                      d.allowed()
                              || key == null
                              || isOwnAccount(context, key)
                              || KmsAuthorizer.keyPolicyAdmits(request, keyPolicy)
                          ? d
                          : KmsAuthorizer.denyWithoutKey(
                              requestWithoutKey(context, action, conditions, namedAs), identity));
            })
        .map(
            decision -> {
              if (!decision.allowed()) {
                throw new KmsException(ErrorCode.ACCESS_DENIED, decision.denialMessage());
              }
              return null;
            });
  }

  /**
   * AccessDeniedException for a key or alias of another account that the caller named as {@code
   * namedAs} and that does not exist, or for an action that is never cross-account: exactly the
   * answer an existing key of that account whose policy does not admit the caller gets, so the
   * caller learns nothing about what exists there.
   */
  public <T> Uni<T> denyWithoutKey(
      RequestContext context, KmsAction action, Conditions conditions, String namedAs) {
    return identityPolicies(context)
        .map(
            identity -> {
              KmsAuthorizer.Decision denial =
                  KmsAuthorizer.denyWithoutKey(
                      requestWithoutKey(context, action, conditions, namedAs),
                      identity.documents());
              throw new KmsException(ErrorCode.ACCESS_DENIED, denial.denialMessage());
            });
  }

  /** Whether {@code key} belongs to the caller's own account. */
  public static boolean isOwnAccount(RequestContext context, KmsKey key) {
    return key.accountId().equals(context.accountId());
  }

  private static AuthorizationRequest requestWithoutKey(
      RequestContext context, KmsAction action, Conditions conditions, String namedAs) {
    return new AuthorizationRequest(
        context.caller().principalArn(),
        context.accountId(),
        action.iamAction(),
        namedAs,
        conditionValues(context, null, conditions));
  }

  /** The caller's identity policy (as stored, and parsed); empty when it has none. */
  private record IdentityPolicy(java.util.Optional<String> text, List<PolicyDocument> documents) {}

  private Uni<IdentityPolicy> identityPolicies(RequestContext context) {
    return identityPolicies
        .find(context.caller().principal().identityPolicyOwner())
        .map(
            text ->
                new IdentityPolicy(
                    text,
                    text.map(t -> List.of(cache.get(t, PolicyDocument.Kind.IDENTITY_POLICY)))
                        .orElse(List.of())));
  }

  /**
   * Whether one of the caller's grants on {@code key} allows {@code operation} for this request.
   */
  private Uni<Boolean> grantAllows(
      RequestContext context, KmsKey key, GrantOperation operation, Conditions conditions) {
    return grants
        .forGrantee(key.keyId(), context.caller().principal().granteeNames())
        .map(found -> found.stream().anyMatch(g -> grantAllows(g, operation, conditions)));
  }

  private static boolean grantAllows(Grant grant, GrantOperation operation, Conditions conditions) {
    return operation == GrantOperation.CREATE_GRANT
        ? grant.allowsCreating(
            conditions.requestedGrantOperations(), conditions.requestedGrantConstraints())
        : grant.allows(operation, conditions.encryptionContext());
  }

  /**
   * {@code kms:ResourceAliases} (AWS KMS Developer Guide, condition keys): the alias names of the
   * key, read only when the key policy or the identity policy mentions the key, so no other request
   * pays for the query. As in AWS, it is effective for keys with at most 50 aliases (the quota);
   * null when not needed or no key.
   */
  private Uni<List<String>> resourceAliases(
      RequestContext context, KmsKey key, java.util.Optional<String> identityText) {
    boolean mentioned =
        key != null
            && (mentionsResourceAliases(key.policy())
                || identityText.map(Authorization::mentionsResourceAliases).orElse(false));
    if (!mentioned) {
      return Uni.createFrom().nullItem();
    }
    return aliases
        .list(key.accountId(), key.arn().region(), key.keyId(), null, 50)
        .map(found -> found.stream().map(a -> a.name().value()).toList());
  }

  private static boolean mentionsResourceAliases(String policyText) {
    return policyText.toLowerCase(java.util.Locale.ROOT).contains("kms:resourcealiases");
  }

  private static Map<String, List<String>> conditionValues(
      RequestContext context, KmsKey key, Conditions conditions) {
    Map<String, List<String>> values = new LinkedHashMap<>(conditions.asMap());
    values.put("kms:calleraccount", List.of(context.accountId()));
    values.put("aws:principalarn", List.of(context.caller().principalArn()));
    values.put("aws:principalaccount", List.of(context.accountId()));
    values.put("aws:currenttime", List.of(context.receivedAt().toString()));
    values.put("aws:epochtime", List.of(Long.toString(context.receivedAt().getEpochSecond())));
    values.put("aws:securetransport", List.of(Boolean.toString(context.secureTransport())));
    if (context.sourceIp() != null) {
      values.put("aws:sourceip", List.of(context.sourceIp()));
    }
    if (context.caller().tokenIssueTime() != null) {
      // A policy can refuse every token issued before a moment (e.g. after a leak): AWS's
      // "revoke active sessions" pattern, DateLessThan aws:TokenIssueTime.
      values.put("aws:tokenissuetime", List.of(context.caller().tokenIssueTime().toString()));
    }
    context
        .caller()
        .principalTags()
        .forEach(
            (k, v) ->
                values.put("aws:principaltag/" + k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
    if (key != null) {
      values.put("kms:keyspec", List.of(key.keySpec().wireName()));
      values.put("kms:keyusage", List.of(key.keyUsage().wireName()));
      values.put("kms:keyorigin", List.of(key.origin().wireName()));
      values.put("kms:multiregion", List.of("false"));
      key.tags()
          .forEach(
              (k, v) ->
                  values.put(
                      "aws:resourcetag/" + k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
    }
    return values;
  }
}
