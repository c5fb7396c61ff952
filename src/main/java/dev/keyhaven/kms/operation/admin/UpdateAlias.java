package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS UpdateAlias: points an existing alias at another key of the same type (symmetric or not)
 * and key usage. The new target must not be pending deletion; the old one may be.
 */
@Action(KmsAction.UPDATE_ALIAS)
@ApplicationScoped
public class UpdateAlias implements KmsOperation<CreateAlias.Request, NoResult> {

  private final KeyResolver resolver;
  private final KeyRepository keys;
  private final AliasRepository aliases;
  private final Authorization authorization;
  private final Transactions transactions;

  UpdateAlias(
      KeyResolver resolver,
      KeyRepository keys,
      AliasRepository aliases,
      Authorization authorization,
      Transactions transactions) {
    this.resolver = resolver;
    this.keys = keys;
    this.aliases = aliases;
    this.authorization = authorization;
    this.transactions = transactions;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, CreateAlias.Request request) {
    AliasName name = AliasName.forWrite(request.aliasName());
    return transactions
        .inTransaction(
            () ->
                aliases
                    .find(context.accountId(), context.region(), name)
                    .map(found -> found.orElseThrow(() -> KeyResolver.aliasNotFound(context, name)))
                    .chain(
                        alias ->
                            resolver
                                .resolveForUpdate(
                                    context,
                                    KmsAction.UPDATE_ALIAS,
                                    request.targetKeyId(),
                                    Conditions.none())
                                .map(target -> target.requireStateFor(KmsAction.UPDATE_ALIAS))
                                .chain(
                                    target ->
                                        keys.findById(alias.targetKeyId())
                                            .invoke(
                                                current ->
                                                    current.ifPresent(
                                                        c -> requireSameType(c, target)))
                                            // kms:UpdateAlias is needed on the old key too.
                                            .call(
                                                current ->
                                                    authorization.require(
                                                        context,
                                                        KmsAction.UPDATE_ALIAS,
                                                        current.orElse(null),
                                                        Conditions.none()))
                                            .chain(
                                                ignored ->
                                                    aliases.retarget(
                                                        alias,
                                                        target.keyId(),
                                                        context.receivedAt())))))
        .replaceWith(NoResult.INSTANCE);
  }

  private static void requireSameType(KmsKey current, KmsKey target) {
    boolean currentSymmetric = current.keySpec() == KeySpec.SYMMETRIC_DEFAULT;
    boolean targetSymmetric = target.keySpec() == KeySpec.SYMMETRIC_DEFAULT;
    if (currentSymmetric != targetSymmetric || current.keyUsage() != target.keyUsage()) {
      throw KmsException.validation(
          "The alias can only be updated to a KMS key of the same key type and key usage as its"
              + " current key, "
              + current.arn()
              + ".");
    }
  }
}
