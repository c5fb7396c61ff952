package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.OperationDeclaration;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.Authenticator;
import dev.keyhaven.kms.operation.port.DatabaseWatch;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.operation.port.StaleStateException;
import dev.keyhaven.kms.operation.port.StateCache;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One KMS request from bytes to bytes: authenticate, dispatch on {@code X-Amz-Target}, decode the
 * body, run the operation, encode the result — or the AWS error. Every request passes here exactly
 * once, so this is where each request gets its request id and its one audit event.
 *
 * <p>Audit (docs/audit.md): the response leaves only once its event is durable. An operation that
 * changes state runs in one transaction with its event, so both commit or neither does; any failure
 * rolls the change back and records the failure instead. If no event can be made durable the caller
 * gets KMSInternalException (DependencyTimeoutException when the database is unreachable) and
 * nothing has changed: the trail fails closed. A database that answers nothing (hung, not down)
 * ends the request with DependencyTimeoutException within about 1.5 s ({@link DatabaseWatch}); its
 * work runs on and, if the database answers later, commits or rolls back with its own event — a 200
 * is only ever sent after its event is durable.
 *
 * <p>Observability (docs/self-hosting.md): every answer is counted once in {@link ServiceMetrics}
 * (action, outcome, error code, latency), and the request id is in the logging MDC under {@value
 * #MDC_REQUEST_ID} on the request's Vert.x context, so every line logged while serving it names it.
 */
@ApplicationScoped
public class KmsRequestHandler {
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  /** The MDC key of the request id (the {@code x-amzn-RequestId} header) in log records. */
  public static final String MDC_REQUEST_ID = "requestId";

  private static final Logger LOG = Logger.getLogger(KmsRequestHandler.class);

  /** The answer: status and body (JSON). */
  public record WireResponse(int status, String requestId, byte[] body) {}

  private final OperationRegistry registry;
  private final Authenticator authenticator;
  private final AuditRecorder audit;
  private final Transactions transactions;
  private final DatabaseWatch watch;
  private final StateCache stateCache;
  private final ServiceMetrics metrics;
  private final JsonCodec codec = new JsonCodec();
  private final Clock clock;
  private final String region;
  private final String partition;

  KmsRequestHandler(
      OperationRegistry registry,
      Authenticator authenticator,
      AuditRecorder audit,
      Transactions transactions,
      DatabaseWatch watch,
      StateCache stateCache,
      ServiceMetrics metrics,
      Clock clock,
      KmsConfig config) {
    this.registry = registry;
    this.authenticator = authenticator;
    this.audit = audit;
    this.transactions = transactions;
    this.watch = watch;
    this.stateCache = stateCache;
    this.metrics = metrics;
    this.clock = clock;
    this.region = config.region();
    this.partition = config.partition();
  }

  /** Where a request came from: the connection's client address and whether it used TLS. */
  public record Origin(String sourceIp, boolean secureTransport) {}

  /**
   * How one protocol authenticates, dispatches, reads and answers a request: the AWS KMS JSON 1.1
   * protocol ({@link KmsWire}) or the XKS proxy API ({@link XksRequests}). Everything else —
   * request id, audit event, transactions, hot-state retry, metrics — is this handler's, the same
   * for both.
   */
  interface Wire {
    Uni<CallerIdentity> authenticate(Authenticator.HttpRequestView request);

    /** The operation the request names, or the KmsException saying it names none. */
    OperationDeclaration<?, ?> operation();

    <Q> Q decode(byte[] body, Class<Q> type) throws IOException;

    byte[] encode(Object result);

    /** The failure under this protocol's error name (also its audit event's error code). */
    KmsException translate(KmsException error);

    /** The answer for a failure ({@link #translate}d already). */
    WireResponse error(KmsException error, String requestId);
  }

  public Uni<WireResponse> handle(
      String target, Authenticator.HttpRequestView request, Origin origin) {
    OperationDeclaration<?, ?> named = registry.find(target).orElse(null);
    return handle(
        new KmsWire(target), target, named == null ? null : named.action(), request, origin);
  }

  /**
   * Handles one request of {@code wire}'s protocol; {@code target} names it in the audit trail when
   * it fails before its action is known, {@code namedAction} (or null) in metrics.
   */
  Uni<WireResponse> handle(
      Wire wire,
      String target,
      KmsAction namedAction,
      Authenticator.HttpRequestView request,
      Origin origin) {
    AuditRecorder.Exchange x = exchange(target, request.headers(), origin);
    x.namedAction = namedAction;
    // Hot state (docs/performance.md): a read-only action answers from cached state first; if a
    // version it relied on moved before its event was written, nothing was written and it is
    // evaluated once more with fresh state, whose answer (and event) is the one that counts.
    boolean cacheable = x.namedAction != null && x.namedAction.readOnly();
    return attempt(x, wire, request, origin, !cacheable)
        .onFailure(StaleStateException.class)
        .recoverWithUni(
            stale -> {
              LOG.debugf(
                  "request %s %s: cached state moved; evaluating again", x.requestId, x.target);
              return attempt(x, wire, request, origin, true);
            })
        .invoke(answer -> counted(x));
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
  private Uni<WireResponse> attempt(
      AuditRecorder.Exchange x,
      Wire wire,
      Authenticator.HttpRequestView request,
      Origin origin,
      boolean fresh) {
    return Uni.createFrom()
        .deferred(
            () -> {
              x.startAttempt(stateCache.begin(fresh));
              return watch
                  .guard(Uni.createFrom().deferred(() -> dispatch(x, wire, request, origin)))
                  .onFailure(failure -> !(failure instanceof StaleStateException))
                  .recoverWithUni(failure -> failed(x, wire, failure));
            });
  }

  /**
   * A request that is no KMS call — another method than POST on a KMS path, or a path that is none
   * — answered with {@code status} (405 or 404) once its audit event is durable, so that every
   * request leaves one (issue 16, item 7). The event: error code UnknownOperationException, the
   * connection's source address, user agent, and the method and path (query dropped, both
   * truncated); never a body or a credential. Nothing is authenticated or run. If the event cannot
   * be made durable the answer is the same failure as for any request (fail closed).
   */
  public Uni<WireResponse> refuse(
      int status,
      String method,
      String rawPath,
      Map<String, String> lowerCaseHeaders,
      Origin origin) {
    AuditRecorder.Exchange x =
        exchange(lowerCaseHeaders.get("x-amz-target"), lowerCaseHeaders, origin);
    KmsException error =
        new KmsException(
            ErrorCode.UNKNOWN_OPERATION,
            truncate(method, 16)
                + " "
                + truncate(rawPath, 256)
                + " is not a KMS request ("
                + status
                + "): KMS requests are POST / with X-Amz-Target");
    LOG.debugf("request %s: %s", x.requestId, error.getMessage());
    x.answeredError = error.code();
    return afterEvent(
            x,
            new KmsWire(x.target),
            error,
            new WireResponse(status, x.requestId, errorBody(error)))
        .invoke(answer -> counted(x));
  }

  /** A new request's exchange: its id, arrival time, source address and user agent. */
  private AuditRecorder.Exchange exchange(
      String target, Map<String, String> lowerCaseHeaders, Origin origin) {
    AuditRecorder.Exchange x =
        new AuditRecorder.Exchange(
            UUID.randomUUID().toString(),
            target,
            clock.instant(),
            origin.sourceIp(),
            lowerCaseHeaders.get("user-agent"));
    x.region = region;
    if (VertxContext.isOnDuplicatedContext()) {
      // Quarkus keeps the MDC in the request's own (duplicated) context: every line logged while
      // serving this request carries its id, and nothing leaks to the next request.
      MDC.put(MDC_REQUEST_ID, x.requestId);
    }
    return x;
  }

  private static String truncate(String value, int max) {
    if (value == null) {
      return "";
    }
    return value.length() <= max ? value : value.substring(0, max) + "...";
  }

  private Uni<WireResponse> dispatch(
      AuditRecorder.Exchange x, Wire wire, Authenticator.HttpRequestView request, Origin origin) {
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
                      region,
                      partition,
                      x.receivedAt,
                      origin.sourceIp(),
                      origin.secureTransport());
              return run(operation, x, wire, request.body());
            })
        .map(
            result -> {
              AuditRecorder.emit(x);
              return new WireResponse(200, x.requestId, wire.encode(result));
            });
  }

  private <Q, R> Uni<Object> run(
      OperationDeclaration<Q, R> operation, AuditRecorder.Exchange x, Wire wire, byte[] body) {
    Q decoded;
    try {
      decoded = wire.decode(body, operation.requestType());
    } catch (IOException e) {
      throw ErrorMapper.toKmsException(e, x.requestId);
    }
    x.request = decoded;
    if (operation.action().readOnly()) {
      return operation.run(x.context, decoded).call(result -> audit.success(x, result)).map(r -> r);
    }
    return transactions
        .inTransaction(
            () ->
                operation
                    .run(x.context, decoded)
                    .call(result -> audit.success(x, result))
                    .map(r -> (Object) r))
        // This instance changed state: its cached copies go at once (other instances find out
        // through the version check).
        .invoke(stateCache::invalidateAll);
  }

  /** The AWS error for a failed request, once its event is durable. */
  private Uni<WireResponse> failed(AuditRecorder.Exchange x, Wire wire, Throwable failure) {
    KmsException error = wire.translate(ErrorMapper.toKmsException(failure, x.requestId));
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
  private Uni<WireResponse> afterEvent(
      AuditRecorder.Exchange x, Wire wire, KmsException error, WireResponse answer) {
    return watch
        .guard(audit.failure(x, error))
        .map(
            ignored -> {
              AuditRecorder.emit(x);
              return answer;
            })
        .onFailure(failure -> !(failure instanceof StaleStateException))
        .recoverWithItem(
            auditFailure -> {
              LOG.errorf(
                  auditFailure,
                  "request %s %s: its audit event is not durable; failing the request",
                  x.requestId,
                  x.target);
              KmsException closed = ErrorMapper.toKmsException(auditFailure, x.requestId);
              KmsException answered =
                  wire.translate(
                      closed.code().isClientFault()
                          ? new KmsException(ErrorCode.KMS_INTERNAL, null)
                          : closed);
              x.answeredError = answered.code();
              return wire.error(answered, x.requestId);
            });
  }

  /** The AWS KMS JSON 1.1 protocol: {@code X-Amz-Target} dispatch, {@code __type} errors. */
  private final class KmsWire implements Wire {
    private final String target;

    KmsWire(String target) {
      this.target = target;
    }

    @Override
    public Uni<CallerIdentity> authenticate(Authenticator.HttpRequestView request) {
      return authenticator.authenticate(request);
    }

    @Override
    public OperationDeclaration<?, ?> operation() {
      return registry.require(target);
    }

    @Override
    public <Q> Q decode(byte[] body, Class<Q> type) throws IOException {
      return codec.read(body, type);
    }

    @Override
    public byte[] encode(Object result) {
      return KmsRequestHandler.this.encode(result);
    }

    @Override
    public KmsException translate(KmsException error) {
      return error;
    }

    @Override
    public WireResponse error(KmsException error, String requestId) {
      return new WireResponse(error.code().httpStatus(), requestId, errorBody(error));
    }
  }

  private byte[] errorBody(KmsException error) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("__type", error.code().awsType());
    if (error.getMessage() != null) {
      body.put("message", error.getMessage());
    }
    return encode(body);
  }

  private byte[] encode(Object value) {
    try {
      return codec.write(value);
    } catch (IOException e) {
      // Our own records always serialize; reaching here is a bug, reported without detail.
      LOG.error("response encoding failed", e);
      return "{\"__type\":\"KMSInternalException\"}".getBytes(StandardCharsets.US_ASCII);
    }
  }
}
