package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.OperationDeclaration;
import dev.keyhaven.kms.operation.RequestPipeline;
import dev.keyhaven.kms.operation.RequestPipeline.Answer;
import dev.keyhaven.kms.operation.RequestPipeline.Arrival;
import dev.keyhaven.kms.operation.RequestPipeline.Wire;
import dev.keyhaven.kms.operation.port.Authenticator;
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
 * The AWS KMS JSON 1.1 protocol's edge, and the arrival of every request: gives each request its id
 * (the {@code x-amzn-RequestId} header, and the logging MDC under {@value #MDC_REQUEST_ID} on the
 * request's Vert.x context, so every line logged while serving it names it) and hands it with its
 * {@link Wire} to {@link RequestPipeline}, which owns what happens next — unit of work, audit
 * event, hot-state retry, metrics (docs/architecture.md). What stays here is bytes: the {@code
 * X-Amz-Target} dispatch, the JSON codec and the {@code __type} error body.
 */
@ApplicationScoped
public class KmsRequestHandler {
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  /** The MDC key of the request id (the {@code x-amzn-RequestId} header) in log records. */
  public static final String MDC_REQUEST_ID = "requestId";

  private static final Logger LOG = Logger.getLogger(KmsRequestHandler.class);

  private final OperationRegistry registry;
  private final Authenticator authenticator;
  private final RequestPipeline pipeline;
  private final JsonCodec codec = new JsonCodec();
  private final Clock clock;
  private final String region;
  private final String partition;

  KmsRequestHandler(
      OperationRegistry registry,
      Authenticator authenticator,
      RequestPipeline pipeline,
      Clock clock,
      KmsConfig config) {
    this.registry = registry;
    this.authenticator = authenticator;
    this.pipeline = pipeline;
    this.clock = clock;
    this.region = config.region();
    this.partition = config.partition();
  }

  /** Where a request came from: the connection's client address and whether it used TLS. */
  public record Origin(String sourceIp, boolean secureTransport) {}

  public Uni<Answer> handle(String target, Authenticator.HttpRequestView request, Origin origin) {
    OperationDeclaration<?, ?> named = registry.find(target).orElse(null);
    return handle(
        new KmsWire(target), target, named == null ? null : named.action(), request, origin);
  }

  /**
   * Handles one request of {@code wire}'s protocol; {@code target} names it in the audit trail when
   * it fails before its action is known, {@code namedAction} (or null) in metrics.
   */
  Uni<Answer> handle(
      Wire wire,
      String target,
      KmsAction namedAction,
      Authenticator.HttpRequestView request,
      Origin origin) {
    return pipeline.handle(wire, arrival(target, request.headers(), origin), namedAction, request);
  }

  /**
   * A request that is no KMS call — another method than POST on a KMS path, or a path that is none
   * — answered with {@code status} (405 or 404) once its audit event is durable, so that every
   * request leaves one (issue 16, item 7). The event: error code UnknownOperationException, the
   * connection's source address, user agent, and the method and path (query dropped, both
   * truncated); never a body or a credential. Nothing is authenticated or run. If the event cannot
   * be made durable the answer is the same failure as for any request (fail closed).
   */
  public Uni<Answer> refuse(
      int status,
      String method,
      String rawPath,
      Map<String, String> lowerCaseHeaders,
      Origin origin) {
    Arrival arrival = arrival(lowerCaseHeaders.get("x-amz-target"), lowerCaseHeaders, origin);
    KmsException error =
        new KmsException(
            ErrorCode.UNKNOWN_OPERATION,
            truncate(method, 16)
                + " "
                + truncate(rawPath, 256)
                + " is not a KMS request ("
                + status
                + "): KMS requests are POST / with X-Amz-Target");
    LOG.debugf("request %s: %s", arrival.requestId(), error.getMessage());
    return pipeline.refuse(
        new KmsWire(arrival.target()),
        arrival,
        error,
        new Answer(status, arrival.requestId(), errorBody(error)));
  }

  /** A new request's arrival: its id, arrival time, source address and user agent. */
  private Arrival arrival(String target, Map<String, String> lowerCaseHeaders, Origin origin) {
    String requestId = UUID.randomUUID().toString();
    if (VertxContext.isOnDuplicatedContext()) {
      // Quarkus keeps the MDC in the request's own (duplicated) context: every line logged while
      // serving this request carries its id, and nothing leaks to the next request.
      MDC.put(MDC_REQUEST_ID, requestId);
    }
    return new Arrival(
        requestId,
        target,
        clock.instant(),
        origin.sourceIp(),
        origin.secureTransport(),
        lowerCaseHeaders.get("user-agent"),
        region,
        partition);
  }

  private static String truncate(String value, int max) {
    if (value == null) {
      return "";
    }
    return value.length() <= max ? value : value.substring(0, max) + "...";
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
    public KmsException toKmsException(Throwable failure, String requestId) {
      return ErrorMapper.toKmsException(failure, requestId);
    }

    @Override
    public KmsException translate(KmsException error) {
      return error;
    }

    @Override
    public Answer error(KmsException error, String requestId) {
      return new Answer(error.code().httpStatus(), requestId, errorBody(error));
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
