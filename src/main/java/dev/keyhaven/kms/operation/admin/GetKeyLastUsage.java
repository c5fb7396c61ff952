package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.audit.KeyUsage;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.KeyUsageLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * AWS KMS GetKeyLastUsage (API Reference, GetKeyLastUsage and KeyLastUsageData): the key's last
 * successful cryptographic operation — Operation, Timestamp, CloudTrailEventId, KmsRequestId — with
 * TrackingStartDate and KeyCreationDate. Key id or key ARN only ("Alias names are not supported"),
 * never cross-account, every key state (its errors hold no KMSInvalidStateException),
 * kms:GetKeyLastUsage in the key policy.
 *
 * <p>A use is the audit event of a successful Encrypt, Decrypt, ReEncrypt (both keys),
 * GenerateDataKey*, GenerateDataKeyPair*, Sign, Verify, GenerateMac, VerifyMac or
 * DeriveSharedSecret ({@link KmsAction#tracksLastUsage()}); the ids are that event's {@code
 * eventID} and {@code requestID}, the Timestamp its {@code eventTime}. TrackingStartDate is when
 * this database began recording uses (the schema migration that added tracking ran), or the key's
 * creation date if later; KeyLastUsage is empty — no members — when no use was recorded since then
 * (docs/audit.md, "Key last usage").
 */
@Action(KmsAction.GET_KEY_LAST_USAGE)
@ApplicationScoped
public class GetKeyLastUsage
    implements KmsOperation<GetKeyLastUsage.Request, GetKeyLastUsage.Response> {

  public record Request(@Member.Required @Member.KeyId KeyReference keyId) {}

  /**
   * AWS's KeyLastUsageData; every member absent when the key has not been used since tracking
   * began.
   */
  public record KeyLastUsage(
      String operation, Instant timestamp, String cloudTrailEventId, String kmsRequestId) {
    static final KeyLastUsage NONE = new KeyLastUsage(null, null, null, null);
  }

  public record Response(
      String keyId,
      KeyLastUsage keyLastUsage,
      Instant trackingStartDate,
      Instant keyCreationDate) {}

  private final KeyResolver resolver;
  private final KeyUsageLog usage;

  GetKeyLastUsage(KeyResolver resolver, KeyUsageLog usage) {
    this.resolver = resolver;
    this.usage = usage;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return resolver
        .resolve(context, KmsAction.GET_KEY_LAST_USAGE, request.keyId(), false, Conditions.none())
        .map(key -> key.requireStateFor(KmsAction.GET_KEY_LAST_USAGE))
        .chain(key -> usage.find(key.keyId()).map(tracked -> answer(key, tracked)));
  }

  private static Response answer(KmsKey key, KeyUsageLog.Tracked tracked) {
    Instant created = key.creationDate();
    Instant since = tracked.since().isAfter(created) ? tracked.since() : created;
    KeyLastUsage last = tracked.last().map(GetKeyLastUsage::data).orElse(KeyLastUsage.NONE);
    // "KeyId: the globally unique identifier for the KMS key" — the key id, as DescribeKey's.
    return new Response(key.keyId().toString(), last, since, created);
  }

  private static KeyLastUsage data(KeyUsage u) {
    return new KeyLastUsage(u.operation(), u.timestamp(), u.eventId(), u.requestId());
  }
}
