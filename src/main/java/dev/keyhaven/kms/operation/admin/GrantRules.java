package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.grant.Grant;
import dev.keyhaven.kms.domain.grant.GrantConstraints;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.RequestContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the grant operations share (AWS KMS API Reference: CreateGrant, ListGrants,
 * ListRetirableGrants, RetireGrant, RevokeGrant): the {@code GrantListEntry} and {@code
 * GrantConstraints} wire shapes, grant id and principal checks, the DryRun answer, and the NotFound
 * wording.
 */
final class GrantRules {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_PAGE = 100;
  private static final Pattern GRANT_ID = Pattern.compile("[0-9a-f]{64}");

  private GrantRules() {}

  /** Wire shape of {@code GrantConstraints}. */
  public record Constraints(
      Map<String, String> encryptionContextEquals, Map<String, String> encryptionContextSubset) {
    static GrantConstraints toDomain(Constraints c) {
      return c == null
          ? GrantConstraints.NONE
          : new GrantConstraints(c.encryptionContextEquals(), c.encryptionContextSubset());
    }

    static Constraints of(GrantConstraints c) {
      return c.isEmpty()
          ? null
          : new Constraints(c.encryptionContextEquals(), c.encryptionContextSubset());
    }
  }

  /** Wire shape of {@code GrantListEntry}; grant tokens are never listed. */
  public record GrantListEntry(
      String keyId,
      String grantId,
      String name,
      Instant creationDate,
      String granteePrincipal,
      String retiringPrincipal,
      String issuingAccount,
      List<String> operations,
      Constraints constraints) {}

  static GrantListEntry entry(Grant g, String partition) {
    return new GrantListEntry(
        g.keyArn().toString(),
        g.grantId(),
        g.name(),
        g.creationDate(),
        g.granteePrincipal(),
        g.retiringPrincipal(),
        g.issuingAccountArn(partition),
        g.operations().stream().sorted().map(AwsEnum::wireName).toList(),
        Constraints.of(g.constraints()));
  }

  /** Grant ids Keyhaven issues are 64 lower-case hex digits; anything else is InvalidGrantId. */
  static void requireGrantId(String grantId) {
    if (grantId != null && !GRANT_ID.matcher(grantId).matches()) {
      throw new KmsException(ErrorCode.INVALID_GRANT_ID, "Invalid grant ID: " + grantId);
    }
  }

  /**
   * A principal ARN member (GranteePrincipal, RetiringPrincipal) of the partition the service
   * serves (a principal of another partition could never call); null passes.
   */
  static String requirePrincipal(RequestContext context, String arn) {
    if (arn != null && Principal.parse(arn, context.partition()).isEmpty()) {
      throw new KmsException(
          ErrorCode.INVALID_ARN, "ARN does not refer to a valid principal: " + arn);
    }
    return arn;
  }

  static KmsException grantNotFound(String grantId) {
    return KmsException.notFound("Grant ID " + grantId + " not found");
  }

  /** A keyset marker: the last grant id of the previous page. */
  static String afterGrantId(String marker) {
    String after = Markers.decode(marker);
    if (after != null && !GRANT_ID.matcher(after).matches()) {
      throw Markers.invalid();
    }
    return after;
  }

  static String nextMarker(List<Grant> page) {
    return Markers.encode(page.get(page.size() - 1).grantId());
  }
}
