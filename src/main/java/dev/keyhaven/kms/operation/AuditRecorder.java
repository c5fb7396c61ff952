package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.port.AuditLog;
import dev.keyhaven.kms.operation.port.CachedReads;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns one request's outcome into its audit event and makes it durable: in the transaction of a
 * state change, or by group commit for everything else. Once durable, the event also goes as one
 * JSON line to the log category {@value #LOG_CATEGORY} (stdout; CloudWatch Logs in Lambda).
 */
@ApplicationScoped
public class AuditRecorder {
  public static final String LOG_CATEGORY = "keyhaven.audit";
  private static final Logger SINK = Logger.getLogger(LOG_CATEGORY);
  private static final int MAX_USER_AGENT = 1024;

  /**
   * What is known of a request as it is processed; filled in step by step by the request handler.
   */
  static final class Exchange {
    final String requestId;
    final String target;
    final Instant receivedAt;
    final String sourceIp;
    final String userAgent;
    String region;
    CallerIdentity caller;
    KmsAction action;
    RequestContext context;
    Object request;
    AuditRecord record;

    /** The current attempt's cached reads, checked when its event is written. */
    CachedReads reads = CachedReads.NONE;

    /**
     * The action the target names (for metrics: known even when authentication failed), or null.
     */
    KmsAction namedAction;

    /** The AWS error of the answer, or null for a success (metrics). */
    ErrorCode answeredError;

    /** {@link System#nanoTime()} at arrival (metrics). */
    final long startNanos = System.nanoTime();

    Exchange(
        String requestId, String target, Instant receivedAt, String sourceIp, String userAgent) {
      this.requestId = requestId;
      this.target = target;
      this.receivedAt = receivedAt;
      this.sourceIp = sourceIp;
      this.userAgent =
          userAgent == null || userAgent.length() <= MAX_USER_AGENT
              ? userAgent
              : userAgent.substring(0, MAX_USER_AGENT);
    }

    /** Forgets what an attempt found out, before the request is evaluated again. */
    void startAttempt(CachedReads attemptReads) {
      caller = null;
      action = null;
      context = null;
      request = null;
      record = null;
      answeredError = null;
      reads = attemptReads;
    }
  }

  private final AuditLog log;

  AuditRecorder(AuditLog log) {
    this.log = log;
  }

  /** Records a successful request; a state change's event joins its transaction. */
  Uni<Void> success(Exchange x, Object result) {
    x.record = AuditRecord.of(event(x, result, null));
    return x.action.readOnly() ? log.append(x.record, x.reads) : log.appendInTransaction(x.record);
  }

  /** Records a failed request (nothing changed: its transaction, if any, rolled back). */
  Uni<Void> failure(Exchange x, KmsException error) {
    x.record = AuditRecord.of(event(x, null, error));
    return log.append(x.record, x.reads);
  }

  /** Writes the durable event to the log sink. */
  static void emit(Exchange x) {
    emit(x.record);
  }

  /** Echoes the durable record's stored canonical bytes (not a second serialization). */
  static void emit(AuditRecord record) {
    if (record != null && SINK.isInfoEnabled()) {
      SINK.info(new String(record.canonical(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Echoes durable records, in order, as one log record ({@link #lines}), so the sink's format
   * ({@code %s%n}) writes exactly the lines {@link #emit(AuditRecord)} would write one by one —
   * with one formatting, one write and one flush for all of them.
   */
  static void emit(List<AuditRecord> records) {
    if (!records.isEmpty() && SINK.isInfoEnabled()) {
      SINK.info(lines(records));
    }
  }

  /** The records' stored canonical bytes joined by line feeds (no final one), as UTF-8 text. */
  public static String lines(List<AuditRecord> records) {
    int length = Math.max(records.size() - 1, 0);
    for (AuditRecord record : records) {
      length += record.canonical().length;
    }
    byte[] lines = new byte[length];
    int at = 0;
    for (AuditRecord record : records) {
      if (at > 0) {
        lines[at++] = '\n';
      }
      byte[] canonical = record.canonical();
      System.arraycopy(canonical, 0, lines, at, canonical.length);
      at += canonical.length;
    }
    return new String(lines, StandardCharsets.UTF_8);
  }

  private static AuditEvent event(Exchange x, Object result, KmsException error) {
    boolean readOnly = x.action == null || x.action.readOnly();
    List<AuditEvent.Resource> resources =
        x.context == null ? List.of() : x.context.touchedKeys().resources();
    String owner = x.context == null ? null : x.context.touchedKeys().ownerAccount();
    String callerAccount = x.caller == null ? null : x.caller.accountId();
    return new AuditEvent(
        x.caller == null ? AuditEvent.UserIdentity.unknown() : identity(x.caller),
        x.receivedAt,
        eventName(x),
        x.region,
        x.sourceIp,
        x.userAgent,
        error == null ? null : error.code().awsType(),
        error == null ? null : error.getMessage(),
        AuditParameters.of(x.request),
        error == null && !readOnly ? AuditParameters.of(result) : null,
        null,
        x.requestId,
        UUID.randomUUID().toString(),
        readOnly,
        resources,
        AuditEvent.API_CALL,
        owner != null ? owner : callerAccount);
  }

  private static String eventName(Exchange x) {
    if (x.action != null) {
      return x.action.eventName();
    }
    if (x.target == null || x.target.isBlank()) {
      return "Unknown";
    }
    String name = x.target.substring(x.target.indexOf('.') + 1);
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  /**
   * CloudTrail's userIdentity: type and principalId from the caller's principal ({@link
   * Principal#principalId()}), the access key for SigV4, the issuer and subject for a bearer token.
   */
  static AuditEvent.UserIdentity identity(CallerIdentity caller) {
    Principal principal = caller.principal();
    String accessKeyId = null;
    String provider = null;
    String subject = null;
    if (caller.credential() instanceof Credential.SigV4 sigV4) {
      accessKeyId = sigV4.accessKeyId();
    } else if (caller.credential() instanceof Credential.Jwt jwt) {
      provider = jwt.issuer();
      subject = jwt.subject();
    }
    return new AuditEvent.UserIdentity(
        principal.kind().cloudTrailType(),
        principal.principalId(),
        principal.arn(),
        principal.accountId(),
        accessKeyId,
        provider,
        subject,
        null);
  }
}
