package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.port.Authenticator;
import dev.keyhaven.kms.operation.port.DatabaseWatch;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.operation.port.StaleStateException;
import dev.keyhaven.kms.operation.port.StateCache;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The life of one request, the same for every operation and both protocols: authenticate, name the
 * operation, decode, run it in its unit of work, make its one audit event durable, answer. The
 * protocol ({@link Wire}) only reads and writes bytes and names errors; what a request is allowed
 * to observe is decided here.
 *
 * <p>Unit of work, decided here and nowhere else for a request: a read-only action ({@link
 * KmsAction#readOnly()}) runs in a read-only unit of work ({@link Transactions#inSession}: no
 * transaction, hot rows from the cache under the version check) and its event then joins the audit
 * group commit; a state-changing one runs in one transaction with its event, so both commit or
 * neither does. Operations open none of their own: what needs a transaction (a row lock, several
 * writes) relies on this one. Audit (docs/audit.md): the answer leaves only once its event is
 * durable; any failure rolls the change back and records the failure instead; if no event can be
 * made durable the caller gets KMSInternalException (DependencyTimeoutException when the database
 * is unreachable) and nothing has changed — the trail fails closed. A database that answers nothing
 * (hung, not down) ends the request with DependencyTimeoutException within about 1.5 s ({@link
 * DatabaseWatch}); its work runs on and, if the database answers later, commits or rolls back with
 * its own event — a success is only ever answered after its event is durable.
 *
 * <p>Hot state (docs/performance.md): a read-only action answers from cached state first; if a
 * version it relied on moved before its event was written, nothing was written and it is evaluated
 * once more with fresh state, whose answer (and event) is the one that counts. Every answer is
 * counted once in {@link ServiceMetrics}.
 */
@ApplicationScoped
public class RequestPipeline {
  private static final Logger LOG = Logger.getLogger(RequestPipeline.class);

  /** The answer in its protocol's form: status and body. */
  public record Answer(int status, String requestId, byte[] body) {}

  /** What is known of a request on arrival, before anything is read from its body. */
  public record Arrival(
      String requestId,
      String target,
      Instant receivedAt,
      String sourceIp,
      boolean secureTransport,
      String userAgent,
      String region,
      String partition) {}

  /**
   * How one protocol authenticates, names the operation, reads and answers a request: the AWS KMS
   * JSON 1.1 protocol or the XKS proxy API. One instance serves one request.
   */
  public interface Wire {
    Uni<CallerIdentity> authenticate(Authenticator.HttpRequestView request);

    /** The operation the request names, or the KmsException saying it names none. */
    OperationDeclaration<?, ?> operation();

    <Q> Q decode(byte[] body, Class<Q> type) throws IOException;

    byte[] encode(Object result);

    /** Any failure as the AWS error the caller sees (before {@link #translate}). */
    KmsException toKmsException(Throwable failure, String requestId);

    /** The failure under this protocol's error name (also its audit event's error code). */
    KmsException translate(KmsException error);

    /** The answer for a failure ({@link #translate}d already). */
    Answer error(KmsException error, String requestId);
  }

  private final AuditRecorder audit;
  private final Transactions transactions;
  private final DatabaseWatch watch;
  private final StateCache stateCache;
  private final ServiceMetrics metrics;

  RequestPipeline(
      AuditRecorder audit,
      Transactions transactions,
      DatabaseWatch watch,
      StateCache stateCache,
      ServiceMetrics metrics) {
    this.audit = audit;
    this.transactions = transactions;
    this.watch = watch;
    this.stateCache = stateCache;
    this.metrics = metrics;
  }

  /**
   * Handles one request of {@code wire}'s protocol; {@code arrival.target()} names it in the audit
   * trail when it fails before its action is known, {@code namedAction} (or null) in metrics.
   */
  public Uni<Answer> handle(
      Wire wire, Arrival arrival, KmsAction namedAction, Authenticator.HttpRequestView request) {
    AuditRecorder.Exchange x = exchange(arrival);
    x.namedAction = namedAction;
    boolean cacheable = namedAction != null && namedAction.readOnly();
    return attempt(x, wire, arrival, request, !cacheable)
        .onFailure(StaleStateException.class)
        .recoverWithUni(
            stale -> {
              LOG.debugf(
                  "request %s %s: cached state moved; evaluating again", x.requestId, x.target);
              return attempt(x, wire, arrival, request, true);
            })
        .invoke(answer -> counted(x));
  }

  /**
   * {@code answer} for a request refused before anything ran (no KMS call at all), once its event —
   * with {@code error} — is durable; if it cannot be, the same failure as for any request.
   */
  public Uni<Answer> refuse(Wire wire, Arrival arrival, KmsException error, Answer answer) {
    AuditRecorder.Exchange x = exchange(arrival);
    x.answeredError = error.code();
    return afterEvent(x, wire, error, answer).invoke(ignored -> counted(x));
  }

  private static AuditRecorder.Exchange exchange(Arrival arrival) {
    AuditRecorder.Exchange x =
        new AuditRecorder.Exchange(
            arrival.requestId(),
            arrival.target(),
            arrival.receivedAt(),
            arrival.sourceIp(),
            arrival.userAgent());
    x.region = arrival.region();
    return x;
  }

  /** Counts the answer of {@code x} once (never throws: metrics must not fail a request). */
  private void counted(AuditRecorder.Exchange x) {
    try {
      metrics.request(x.namedAction, x.answeredError, System.nanoTime() - x.startNanos);
    } catch (RuntimeException e) {
      LOG.debugf("request %s: not counted: %s", x.requestId, e);
    }
  }

  /**
   * One evaluation of the request; fails only with StaleStateException (then nothing was written).
   */
  private Uni<Answer> attempt(
      AuditRecorder.Exchange x,
      Wire wire,
      Arrival arrival,
      Authenticator.HttpRequestView request,
      boolean fresh) {
    return Uni.createFrom()
        .deferred(
            () -> {
              x.startAttempt(stateCache.begin(fresh));
              return watch
                  .guard(Uni.createFrom().deferred(() -> dispatch(x, wire, arrival, request)))
                  .onFailure(failure -> !(failure instanceof StaleStateException))
                  .recoverWithUni(failure -> failed(x, wire, failure));
            });
  }

  private Uni<Answer> dispatch(
      AuditRecorder.Exchange x, Wire wire, Arrival arrival, Authenticator.HttpRequestView request) {
    return wire.authenticate(request)
        .chain(
            caller -> {
              x.caller = caller;
              OperationDeclaration<?, ?> operation = wire.operation();
              x.action = operation.action();
              x.context =
                  new RequestContext(
                      x.requestId,
                      caller,
                      arrival.region(),
                      arrival.partition(),
                      x.receivedAt,
                      arrival.sourceIp(),
                      arrival.secureTransport());
              return run(operation, x, wire, request.body());
            })
        .map(result -> new Answer(200, x.requestId, wire.encode(result)));
  }

  private <Q, R> Uni<Object> run(
      OperationDeclaration<Q, R> operation, AuditRecorder.Exchange x, Wire wire, byte[] body) {
    Q decoded;
    try {
      decoded = wire.decode(body, operation.requestType());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    x.request = decoded;
    if (operation.action().readOnly()) {
      // Its event joins the group commit after the work, outside the unit of work; the audit
      // writer echoes it to the log sink with its batch (AuditEcho).
      return transactions
          .inSession(() -> operation.run(x.context, decoded))
          .call(result -> audit.success(x, result))
          .map(r -> r);
    }
    return transactions
        .inTransaction(
            () ->
                operation
                    .run(x.context, decoded)
                    .call(result -> audit.success(x, result))
                    .map(r -> (Object) r))
        // This instance changed state: its cached copies go at once (other instances find out
        // through the version check). The event committed with the transaction: echo it.
        .invoke(
            result -> {
              stateCache.invalidateAll();
              AuditRecorder.emit(x);
            });
  }

  /** The AWS error for a failed request, once its event is durable. */
  private Uni<Answer> failed(AuditRecorder.Exchange x, Wire wire, Throwable failure) {
    KmsException error = wire.translate(wire.toKmsException(failure, x.requestId));
    x.answeredError = error.code();
    if (failure instanceof DatabaseWatch.DatabaseHungException) {
      // The database answers nothing: no event can be made durable now (fail closed). The
      // request's work goes on and, should the database answer later, records its own event.
      LOG.errorf("request %s %s: the database answered nothing in time", x.requestId, x.target);
      return Uni.createFrom().item(wire.error(error, x.requestId));
    }
    if (error.code().isClientFault() && error.logDetail() != null) {
      // AWS's answer carries no explanation (an empty message or none): ours goes to the log.
      LOG.infof(
          "request %s %s: %s: %s",
          x.requestId, x.target, error.code().awsType(), error.logDetail());
    } else if (error.code().isClientFault()) {
      LOG.debugf("request %s %s: %s", x.requestId, x.target, error.code().awsType());
    } else {
      LOG.errorf(
          failure, "request %s %s failed: %s", x.requestId, x.target, error.code().awsType());
    }
    return afterEvent(x, wire, error, wire.error(error, x.requestId));
  }

  /**
   * {@code answer} once the failure's event is durable; if it cannot be, the trail fails closed.
   */
  private Uni<Answer> afterEvent(
      AuditRecorder.Exchange x, Wire wire, KmsException error, Answer answer) {
    // A failure's event is group-committed: the audit writer echoes it to the log sink.
    return watch
        .guard(audit.failure(x, error))
        .map(ignored -> answer)
        .onFailure(failure -> !(failure instanceof StaleStateException))
        .recoverWithItem(
            auditFailure -> {
              LOG.errorf(
                  auditFailure,
                  "request %s %s: its audit event is not durable; failing the request",
                  x.requestId,
                  x.target);
              KmsException closed = wire.toKmsException(auditFailure, x.requestId);
              KmsException answered =
                  wire.translate(
                      closed.code().isClientFault()
                          ? new KmsException(ErrorCode.KMS_INTERNAL, null)
                          : closed);
              x.answeredError = answered.code();
              return wire.error(answered, x.requestId);
            });
  }
}
