package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.domain.grant.GrantConstraints;
import dev.keyhaven.kms.domain.grant.GrantOperation;
import dev.keyhaven.kms.domain.grant.GrantToken;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.GrantRepository;
import dev.keyhaven.kms.operation.port.RandomSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * AWS KMS CreateGrant (API Reference, CreateGrant; Developer Guide, "Grants in AWS KMS"): lets
 * GranteePrincipal perform Operations on the key (key id or key ARN, cross-account allowed),
 * optionally under encryption-context Constraints. Needs kms:CreateGrant (condition keys
 * kms:GrantOperations, kms:GranteePrincipal, kms:RetiringPrincipal, kms:GrantConstraintType,
 * kms:GrantIsForAWSResource = false, kms:EncryptionContext:* of the constraints), or a grant whose
 * CreateGrant covers the new grant. The key must be Enabled. With Name, a retry with the same
 * parameters returns the same GrantId and a new GrantToken. At most 50,000 grants per key. Request
 * validation lives in {@link GrantRequests}.
 */
@Action(KmsAction.CREATE_GRANT)
@ApplicationScoped
public class CreateGrant implements KmsOperation<CreateGrant.Request, CreateGrant.Response> {
  static final int MAX_GRANTS_PER_KEY = 50_000;

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Length(min = 1, max = 256) String granteePrincipal,
      @Member.Length(min = 1, max = 256) String retiringPrincipal,
      @Member.Required @Member.Size(min = 1, max = Integer.MAX_VALUE) List<String> operations,
      @Member.Length(min = 1, max = 256) @Member.Pattern("^[a-zA-Z0-9:/_-]+$") String name,
      @Member.GrantTokens List<String> grantTokens,
      GrantRules.Constraints constraints,
      Boolean dryRun) {}

  public record Response(String grantToken, String grantId) {}

  private final KeyResolver resolver;
  private final GrantRepository grants;
  private final RandomSource crypto;

  CreateGrant(KeyResolver resolver, GrantRepository grants, RandomSource crypto) {
    this.resolver = resolver;
    this.grants = grants;
    this.crypto = crypto;
  }

  /** Operations' values and the constraints' pairs: {@link GrantRequests#validate}. */
  @Override
  public void validate(Request request, Validator errors) {
    GrantRequests.validate(request, errors);
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    GrantRules.requirePrincipal(context, request.granteePrincipal());
    GrantRules.requirePrincipal(context, request.retiringPrincipal());
    Set<GrantOperation> operations = EnumSet.noneOf(GrantOperation.class);
    request.operations().forEach(op -> operations.add(AwsEnum.fromWire(GrantOperation.class, op)));
    GrantConstraints constraints = GrantRules.Constraints.toDomain(request.constraints());
    Conditions conditions = GrantRequests.conditions(request, operations, constraints);
    return resolver
        .resolveForUpdate(context, KmsAction.CREATE_GRANT, request.keyId(), conditions)
        .chain(
            key ->
                create(
                    context,
                    request,
                    key.requireStateFor(KmsAction.CREATE_GRANT),
                    operations,
                    constraints));
  }

  private Uni<Response> create(
      RequestContext context,
      Request request,
      KmsKey key,
      Set<GrantOperation> operations,
      GrantConstraints constraints) {
    List<String> invalid =
        operations.stream()
            .filter(op -> !op.validFor(key.keySpec(), key.keyUsage()))
            .map(AwsEnum::wireName)
            .toList();
    if (!invalid.isEmpty()) {
      throw KmsException.validation(
          "Grant operations "
              + invalid
              + " are not valid for a KMS key with KeyUsage "
              + key.keyUsage().wireName()
              + " and KeySpec "
              + key.keySpec().wireName()
              + ".");
    }
    // AWS KMS API Reference, GrantConstraints: encryption-context constraints are supported only
    // for symmetric encryption KMS keys (asymmetric and HMAC keys take no encryption context).
    if (!constraints.isEmpty() && key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
      throw KmsException.validation(
          "Grant constraints are not valid for a KMS key with KeySpec "
              + key.keySpec().wireName()
              + ".");
    }
    Uni<List<Grant>> sameName =
        request.name() == null
            ? Uni.createFrom().item(List.of())
            : grants.findByName(key.keyId(), request.name());
    return sameName.chain(
        named -> {
          for (Grant g : named) {
            if (g.sameParameters(
                request.granteePrincipal(), request.retiringPrincipal(), operations, constraints)) {
              return Uni.createFrom().item(respond(g, request));
            }
          }
          return grants
              .countForKey(key.keyId())
              .chain(
                  count -> {
                    if (count >= MAX_GRANTS_PER_KEY) {
                      throw new KmsException(
                          ErrorCode.LIMIT_EXCEEDED,
                          "Cannot exceed quota for GrantsPerKey: " + MAX_GRANTS_PER_KEY);
                    }
                    Grant grant =
                        new Grant(
                            HexFormat.of().formatHex(crypto.randomBytes(32)),
                            key.arn(),
                            request.name(),
                            context.receivedAt(),
                            request.granteePrincipal(),
                            request.retiringPrincipal(),
                            context.accountId(),
                            operations,
                            constraints);
                    return grants.insert(grant).map(ignored -> respond(grant, request));
                  });
        });
  }

  private Response respond(Grant grant, Request request) {
    String token =
        GrantToken.issue(
            grant.keyArn().keyId(), grant.grantId(), crypto.randomBytes(GrantToken.nonceLength()));
    return new Response(token, grant.grantId());
  }
}
