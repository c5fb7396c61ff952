package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** AWS KMS DeleteAlias: removes an alias in any key state; the key is not affected. */
@Action(KmsAction.DELETE_ALIAS)
@ApplicationScoped
public class DeleteAlias implements KmsOperation<DeleteAlias.Request, NoResult> {

  public record Request(
      @Member.First
          @Member.Required
          @Member.Length(min = 1, max = 256)
          @Member.Pattern(AliasName.PATTERN)
          String aliasName) {}

  private final AliasRepository aliases;
  private final KeyRepository keys;
  private final Authorization authorization;
  private final Transactions transactions;

  DeleteAlias(
      AliasRepository aliases,
      KeyRepository keys,
      Authorization authorization,
      Transactions transactions) {
    this.aliases = aliases;
    this.keys = keys;
    this.authorization = authorization;
    this.transactions = transactions;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    AliasName name = AliasName.forWrite(request.aliasName());
    return transactions
        .inTransaction(
            () ->
                aliases
                    .find(context.accountId(), context.region(), name)
                    .map(found -> found.orElseThrow(() -> KeyResolver.aliasNotFound(context, name)))
                    // kms:DeleteAlias must be allowed on the key the alias points at.
                    .call(
                        alias ->
                            keys.findById(alias.targetKeyId())
                                .chain(
                                    key ->
                                        authorization.require(
                                            context,
                                            KmsAction.DELETE_ALIAS,
                                            key.orElse(null),
                                            Conditions.none())))
                    .chain(aliases::delete))
        .replaceWith(NoResult.INSTANCE);
  }
}
