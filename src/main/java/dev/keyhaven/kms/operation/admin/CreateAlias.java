package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.AliasRules;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.AliasRepository.Alias;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS CreateAlias: a new alias, unique in the account and region, pointing at a key that is not
 * pending deletion (TargetKeyId: key id or key ARN); at most 50 aliases per key.
 */
@Action(KmsAction.CREATE_ALIAS)
@ApplicationScoped
public class CreateAlias implements KmsOperation<CreateAlias.Request, NoResult> {

  /** Also UpdateAlias's request. */
  public record Request(
      @Member.First
          @Member.Required
          @Member.Length(min = 1, max = 256)
          @Member.Pattern(AliasName.PATTERN)
          String aliasName,
      @Member.Required @Member.KeyId KeyReference targetKeyId) {}

  private final KeyResolver resolver;
  private final AliasRepository aliases;
  private final Transactions transactions;

  CreateAlias(KeyResolver resolver, AliasRepository aliases, Transactions transactions) {
    this.resolver = resolver;
    this.aliases = aliases;
    this.transactions = transactions;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    AliasName name = AliasName.forWrite(request.aliasName());
    return transactions
        .inTransaction(
            () ->
                resolver
                    .resolveForUpdate(
                        context, KmsAction.CREATE_ALIAS, request.targetKeyId(), Conditions.none())
                    .map(key -> key.requireStateFor(KmsAction.CREATE_ALIAS))
                    .chain(
                        key ->
                            aliases
                                .countForKey(key.keyId())
                                .chain(
                                    count -> {
                                      if (count >= AliasRules.MAX_ALIASES_PER_KEY) {
                                        throw new KmsException(
                                            ErrorCode.LIMIT_EXCEEDED,
                                            "The request would exceed the limit of "
                                                + AliasRules.MAX_ALIASES_PER_KEY
                                                + " aliases for "
                                                + key.arn()
                                                + ".");
                                      }
                                      return aliases.insert(
                                          new Alias(
                                              context.accountId(),
                                              context.region(),
                                              name,
                                              key.keyId(),
                                              context.receivedAt(),
                                              context.receivedAt()));
                                    })))
        .replaceWith(NoResult.INSTANCE);
  }
}
