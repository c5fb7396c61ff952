package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.Authenticator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One KMS request from bytes to bytes: authenticate, dispatch on {@code X-Amz-Target}, decode the
 * body, run the operation, encode the result — or the AWS error. Every request passes here exactly
 * once, so this is where each request gets its request id (and, with the audit issue, its one
 * audit event).
 */
@ApplicationScoped
public class KmsRequestHandler {
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final Logger LOG = Logger.getLogger(KmsRequestHandler.class);

  /** The answer: status and body (JSON). */
  public record WireResponse(int status, String requestId, byte[] body) {}

  private final OperationRegistry registry;
  private final Authenticator authenticator;
  private final JsonCodec codec = new JsonCodec();
  private final Clock clock;
  private final String region;

  KmsRequestHandler(
      OperationRegistry registry, Authenticator authenticator, Clock clock, KmsConfig config) {
    this.registry = registry;
    this.authenticator = authenticator;
    this.clock = clock;
    this.region = config.region();
  }

  /** Where a request came from: the connection's client address and whether it used TLS. */
  public record Origin(String sourceIp, boolean secureTransport) {}

  public Uni<WireResponse> handle(
      String target, Authenticator.HttpRequestView request, Origin origin) {
    String requestId = UUID.randomUUID().toString();
    return Uni.createFrom()
        .deferred(() -> dispatch(target, request, origin, requestId))
        .onFailure()
        .recoverWithItem(failure -> error(failure, requestId, target));
  }

  private Uni<WireResponse> dispatch(
      String target, Authenticator.HttpRequestView request, Origin origin, String requestId) {
    return authenticator
        .authenticate(request)
        .chain(
            caller -> {
              KmsOperation<?, ?> operation =
                  registry
                      .find(target)
                      .orElseThrow(
                          () ->
                              new KmsException(
                                  ErrorCode.UNKNOWN_OPERATION, "Unknown operation " + target));
              RequestContext context =
                  new RequestContext(
                      requestId,
                      caller,
                      region,
                      clock.instant(),
                      origin.sourceIp(),
                      origin.secureTransport());
              return run(operation, context, request.body());
            })
        .map(result -> new WireResponse(200, requestId, encode(result)));
  }

  private <Q, R> Uni<Object> run(KmsOperation<Q, R> operation, RequestContext context, byte[] body) {
    Q decoded;
    try {
      decoded = codec.read(body, operation.requestType());
    } catch (IOException e) {
      throw ErrorMapper.toKmsException(e, context.requestId());
    }
    return operation.execute(context, decoded).map(result -> (Object) result);
  }

  private WireResponse error(Throwable failure, String requestId, String target) {
    KmsException error = ErrorMapper.toKmsException(failure, requestId);
    if (error.code().isClientFault()) {
      LOG.debugf("request %s %s: %s", requestId, target, error.code().awsType());
    } else {
      LOG.errorf(failure, "request %s %s failed: %s", requestId, target, error.code().awsType());
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("__type", error.code().awsType());
    if (error.getMessage() != null) {
      body.put("message", error.getMessage());
    }
    return new WireResponse(error.code().httpStatus(), requestId, encode(body));
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
