package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.domain.grant.GrantOperation;
import dev.keyhaven.kms.domain.grant.GrantToken;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.GrantRepository;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * AWS KMS RetireGrant (API Reference, RetireGrant; Developer Guide, "Retiring and revoking
 * grants"): deletes a grant named by its GrantToken, or by KeyId (key id or key ARN) + GrantId.
 * Allowed for the grant's retiring principal, its grantee when the grant includes RetireGrant, and
 * principals of the issuing account that kms:RetireGrant allows on the key (key policy / identity
 * policy); anyone else gets AccessDeniedException. Every key state. DryRun answers
 * DryRunOperationException.
 */
@Action(KmsAction.RETIRE_GRANT)
@ApplicationScoped
public class RetireGrant implements KmsOperation<RetireGrant.Request, NoResult> {

  public record Request(
      @Member.Length(min = 1, max = 8192) String grantToken,
      @Member.KeyId KeyReference keyId,
      @Member.Length(min = 1, max = 128) String grantId,
      Boolean dryRun) {}

  private final KeyRepository keys;
  private final GrantRepository grants;
  private final Authorization authorization;

  RetireGrant(KeyRepository keys, GrantRepository grants, Authorization authorization) {
    this.keys = keys;
    this.grants = grants;
    this.authorization = authorization;
  }

  @Override
  public void validate(Request request, Validator errors) {
    if (request.grantToken() == null && (request.keyId() == null || request.grantId() == null)) {
      errors.fail("Either GrantToken or both KeyId and GrantId must be specified.");
    }
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    if (request.grantToken() != null) {
      GrantToken token = GrantToken.parse(request.grantToken());
      return retire(context, request, token.keyId(), null, null, token.grantId());
    }
    GrantRules.requireGrantId(request.grantId());
    KeyReference reference = request.keyId().requireForm(false);
    KeyArn keyArn =
        reference instanceof KeyReference.ByArn byArn
            ? byArn.arn()
            : new KeyArn(
                context.partition(),
                context.region(),
                context.accountId(),
                ((KeyReference.ById) reference).keyId());
    return retire(context, request, keyArn.keyId(), keyArn, reference.raw(), request.grantId());
  }

  /**
   * Finds the grant and retires it if the caller may.
   *
   * <p>What a failure may reveal depends on whose key the request names. By a grant token (which
   * names key and grant) a missing key or grant is {@code Grant ID … not found}. By KeyId of the
   * caller's own account, AWS's NotFoundException for a missing key, then for a missing grant. By
   * KeyId of another account, every failure — no such key, no such grant, not allowed — is the one
   * AccessDeniedException a key that does not admit the caller gets: nothing is looked up that
   * could tell the caller whether the key exists.
   *
   * @param keyArn the key the request names (null when named by a token)
   * @param namedAs the KeyId member as sent (null when named by a token)
   */
  private Uni<NoResult> retire(
      RequestContext context,
      Request request,
      UUID keyId,
      KeyArn keyArn,
      String namedAs,
      String grantId) {
    boolean foreign = keyArn != null && !keyArn.accountId().equals(context.accountId());
    Supplier<Uni<KmsKey>> noKey =
        () ->
            foreign
                ? authorization.denyWithoutKey(
                    context, KmsAction.RETIRE_GRANT, Conditions.none(), namedAs)
                : Uni.createFrom()
                    .failure(
                        keyArn == null
                            ? GrantRules.grantNotFound(grantId)
                            : KeyResolver.keyDoesNotExist(keyArn));
    return keys.findById(keyId)
        .chain(
            found ->
                found
                    .filter(k -> keyArn == null || k.arn().equals(keyArn))
                    .map(k -> Uni.createFrom().item(k))
                    .orElseGet(noKey))
        .chain(
            key ->
                grants
                    .find(key.keyId(), grantId)
                    .chain(
                        g ->
                            g.map(grant -> Uni.createFrom().item(grant))
                                .orElseGet(
                                    () ->
                                        foreign
                                            ? authorization.denyWithoutKey(
                                                context,
                                                KmsAction.RETIRE_GRANT,
                                                Conditions.none(),
                                                namedAs)
                                            : Uni.createFrom()
                                                .failure(GrantRules.grantNotFound(grantId))))
                    .call(grant -> authorize(context, key, grant, namedAs))
                    .chain(grant -> grants.delete(key.keyId(), grantId)))
        .replaceWith(NoResult.INSTANCE);
  }

  private Uni<Void> authorize(RequestContext context, KmsKey key, Grant grant, String namedAs) {
    List<String> caller = context.caller().principal().granteeNames();
    if (grant.retiringPrincipal() != null && caller.contains(grant.retiringPrincipal())) {
      return Uni.createFrom().voidItem();
    }
    if (caller.contains(grant.granteePrincipal())
        && grant.operations().contains(GrantOperation.RETIRE_GRANT)) {
      return Uni.createFrom().voidItem();
    }
    String resource = namedAs == null ? key.arn().toString() : namedAs;
    if (context.accountId().equals(grant.issuingAccount())) {
      return authorization.require(
          context, KmsAction.RETIRE_GRANT, key, Conditions.none(), resource);
    }
    return Authorization.isOwnAccount(context, key)
        ? Uni.createFrom()
            .failure(KeyResolver.accessDenied(context, KmsAction.RETIRE_GRANT, resource))
        : authorization.denyWithoutKey(
            context, KmsAction.RETIRE_GRANT, Conditions.none(), resource);
  }
}
