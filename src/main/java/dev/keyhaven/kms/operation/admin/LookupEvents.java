package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.AuditAccess;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Keyhaven extension {@code KeyhavenAdmin.LookupEvents}: the audit events of the caller's account —
 * requests it made, and requests on its keys — newest first, in the shape of CloudTrail's
 * LookupEvents (each event's full record as the JSON string {@code CloudTrailEvent}).
 *
 * <p>Filters, all optional and combined with AND: {@code KeyId} (key id or key ARN), {@code
 * PrincipalArn}, {@code EventName}, {@code StartTime} / {@code EndTime} (epoch seconds, inclusive),
 * {@code ErrorsOnly}. {@code MaxResults} 1–50 (default 50); {@code NextToken} from the previous
 * page.
 */
@Action(KmsAction.LOOKUP_EVENTS)
@ApplicationScoped
public class LookupEvents implements KmsOperation<LookupEvents.Request, LookupEvents.Response> {
  public record Request(
      @Member.KeyId KeyReference keyId,
      @Member.Length(min = 1, max = 2048) String principalArn,
      @Member.Length(min = 1, max = 64) String eventName,
      BigDecimal startTime,
      BigDecimal endTime,
      Boolean errorsOnly,
      @Member.Range(min = 1, max = 50) Integer maxResults,
      String nextToken) {}

  /** One event: CloudTrail's LookupEvents summary and the full record. */
  public record Event(
      String eventId,
      String eventName,
      Instant eventTime,
      String eventSource,
      String username,
      String cloudTrailEvent) {}

  public record Response(List<Event> events, String nextToken) {}

  private final AuditStore store;
  private final AuditAccess access;

  LookupEvents(AuditStore store, AuditAccess access) {
    this.store = store;
    this.access = access;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    AuditStore.Position before =
        request.nextToken() == null ? null : position(Markers.decode(request.nextToken()));
    int limit = request.maxResults() == null ? 50 : request.maxResults();
    AuditStore.Query query =
        new AuditStore.Query(
            context.accountId(),
            keyArn(context, request.keyId()),
            request.principalArn(),
            request.eventName(),
            Validator.timestamp("startTime", request.startTime()),
            Validator.timestamp("endTime", request.endTime()),
            Boolean.TRUE.equals(request.errorsOnly()),
            before,
            limit + 1);
    return access
        .require(context, KmsAction.LOOKUP_EVENTS)
        .chain(() -> store.lookup(query))
        .map(
            found -> {
              List<AuditStore.FoundEvent> page =
                  found.size() > limit ? found.subList(0, limit) : found;
              String next =
                  found.size() > limit
                      ? Markers.encode(marker(page.get(page.size() - 1).position()))
                      : null;
              return new Response(
                  page.stream()
                      .map(
                          e ->
                              new Event(
                                  e.eventId(),
                                  e.eventName(),
                                  e.eventTime(),
                                  AuditEvent.EVENT_SOURCE,
                                  e.principalArn(),
                                  e.json()))
                      .toList(),
                  next);
            });
  }

  /** The page marker of a position: epoch microseconds, chain and seq. */
  private static String marker(AuditStore.Position p) {
    long micros =
        java.util.concurrent.TimeUnit.SECONDS.toMicros(p.eventTime().getEpochSecond())
            + p.eventTime().getNano() / 1000;
    return micros + ":" + p.chainId() + ":" + p.seq();
  }

  private static AuditStore.Position position(String marker) {
    String[] parts = marker.split(":");
    try {
      if (parts.length != 3) {
        throw Markers.invalid();
      }
      long micros = Long.parseLong(parts[0]);
      return new AuditStore.Position(
          java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS),
          Long.parseLong(parts[1]),
          Long.parseLong(parts[2]));
    } catch (NumberFormatException | java.time.DateTimeException | ArithmeticException e) {
      throw Markers.invalid();
    }
  }

  /** A key id becomes the key ARN in the caller's account and region; an ARN is used as is. */
  private static String keyArn(RequestContext context, KeyReference keyId) {
    return keyId instanceof KeyReference.ById id
        ? new KeyArn(context.partition(), context.region(), context.accountId(), id.keyId())
            .toString()
        : keyId == null ? null : keyId.raw();
  }
}
