package dev.keyhaven.kms.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.OperationDeclaration;
import dev.keyhaven.kms.operation.RequestPipeline.Answer;
import dev.keyhaven.kms.operation.RequestPipeline.Wire;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import dev.keyhaven.kms.operation.port.XksAuthenticator;
import dev.keyhaven.kms.protocol.KmsRequestHandler.Origin;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The XKS proxy API's wire protocol (aws-kms-xksproxy-api-spec): the operation is the path's
 * ({@code keys/<externalKeyId>/metadata|encrypt|decrypt}, {@code health}), bodies are JSON with
 * lowerCamel members and standard Base64 blobs ({@code application/json}), the request is signed by
 * a key store's credential ({@link XksAuthenticator}), and a failure is {@code {"errorName",
 * "errorMessage"}} with the spec's status. Requests then run through {@link KmsRequestHandler} like
 * every other: one request id, one durable audit event, the same metrics.
 */
@ApplicationScoped
public class XksRequests {
  public static final String CONTENT_TYPE = "application/json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** The spec's limit on errorMessage: under 512 printable ASCII characters. */
  private static final int MAX_MESSAGE = 511;

  private final KmsRequestHandler handler;
  private final OperationRegistry registry;
  private final XksAuthenticator authenticator;

  XksRequests(
      KmsRequestHandler handler, OperationRegistry registry, XksAuthenticator authenticator) {
    this.handler = handler;
    this.registry = registry;
    this.authenticator = authenticator;
  }

  /**
   * One XKS request under {@code uriPrefix} ({@code /keystores/<id>}).
   *
   * @param externalKeyId the path's key id, or null for {@code health}
   * @param operation {@code metadata}, {@code encrypt}, {@code decrypt} or {@code health}; any
   *     other value (a path the API does not define) is InvalidUriPathException once authenticated
   */
  public Uni<Answer> handle(
      String uriPrefix,
      String externalKeyId,
      String operation,
      HttpRequestView request,
      Origin origin) {
    return handle(uriPrefix, externalKeyId, operation, request, origin, null);
  }

  /**
   * As {@link #handle(String, String, String, HttpRequestView, Origin)}, for a request the
   * transport already refuses ({@code transportRefusal} non-null: mutual TLS without a client
   * certificate): AuthenticationFailedException with that message, before SigV4, audited as every
   * failed authentication.
   */
  public Uni<Answer> handle(
      String uriPrefix,
      String externalKeyId,
      String operation,
      HttpRequestView request,
      Origin origin,
      String transportRefusal) {
    KmsAction action = action(externalKeyId, operation);
    String target =
        action == null ? KmsAction.Service.XKS.targetPrefix() + ".Unknown" : action.target();
    return handler.handle(
        new XksWire(action, uriPrefix, externalKeyId, transportRefusal),
        target,
        action,
        request,
        origin);
  }

  /** The wire of one request ({@code action} null: a path that names no operation). */
  Wire wire(KmsAction action, String uriPrefix, String externalKeyId) {
    return new XksWire(action, uriPrefix, externalKeyId, null);
  }

  private static KmsAction action(String externalKeyId, String operation) {
    if (externalKeyId == null) {
      return "health".equals(operation) ? KmsAction.XKS_GET_HEALTH_STATUS : null;
    }
    return switch (operation == null ? "" : operation) {
      case "metadata" -> KmsAction.XKS_GET_KEY_METADATA;
      case "encrypt" -> KmsAction.XKS_ENCRYPT;
      case "decrypt" -> KmsAction.XKS_DECRYPT;
      default -> null;
    };
  }

  private final class XksWire implements Wire {
    private final KmsAction action;
    private final String uriPrefix;
    private final String externalKeyId;
    private final String transportRefusal;

    XksWire(KmsAction action, String uriPrefix, String externalKeyId, String transportRefusal) {
      this.action = action;
      this.uriPrefix = uriPrefix;
      this.externalKeyId = externalKeyId;
      this.transportRefusal = transportRefusal;
    }

    @Override
    public Uni<CallerIdentity> authenticate(HttpRequestView request) {
      if (transportRefusal != null) {
        return Uni.createFrom()
            .failure(new KmsException(ErrorCode.XKS_AUTHENTICATION_FAILED, transportRefusal));
      }
      return authenticator.authenticate(request);
    }

    @Override
    public OperationDeclaration<?, ?> operation() {
      return (action == null
              ? java.util.Optional.<OperationDeclaration<?, ?>>empty()
              : registry.xks(action))
          .orElseThrow(
              () ->
                  new KmsException(
                      ErrorCode.XKS_INVALID_URI_PATH,
                      "The URI path is not an operation of the XKS proxy API v1."));
    }

    /** The body's members, and the path's {@code uriPrefix} and {@code externalKeyId} over them. */
    @Override
    public <Q> Q decode(byte[] body, Class<Q> type) throws IOException {
      JsonNode tree = body == null || body.length == 0 ? null : JSON.readTree(body);
      if (!(tree instanceof ObjectNode object)) {
        throw KmsException.validation("The request body must be a JSON object.");
      }
      object.put("uriPrefix", uriPrefix);
      object.remove("externalKeyId");
      if (externalKeyId != null) {
        object.put("externalKeyId", externalKeyId);
      }
      return JSON.treeToValue(object, type);
    }

    @Override
    public byte[] encode(Object result) {
      try {
        return JSON.writeValueAsBytes(result);
      } catch (IOException e) {
        throw new IllegalStateException("XKS response not serializable", e);
      }
    }

    @Override
    public KmsException toKmsException(Throwable failure, String requestId) {
      return ErrorMapper.toKmsException(failure, requestId);
    }

    @Override
    public KmsException translate(KmsException error) {
      ErrorCode xks =
          switch (error.code()) {
            case NOT_FOUND -> ErrorCode.XKS_KEY_NOT_FOUND;
            case DISABLED, KMS_INVALID_STATE -> ErrorCode.XKS_INVALID_STATE;
            case MISSING_AUTHENTICATION_TOKEN,
                UNRECOGNIZED_CLIENT,
                INCOMPLETE_SIGNATURE,
                INVALID_SIGNATURE,
                EXPIRED_TOKEN ->
                ErrorCode.XKS_AUTHENTICATION_FAILED;
            case UNKNOWN_OPERATION -> ErrorCode.XKS_INVALID_URI_PATH;
            case SERIALIZATION -> ErrorCode.VALIDATION;
            default -> null;
          };
      if (xks == null) {
        return error;
      }
      String message =
          error.code() == ErrorCode.SERIALIZATION
              ? "The request body is not a valid request of this operation."
              : error.getMessage();
      return new KmsException(xks, message);
    }

    @Override
    public Answer error(KmsException error, String requestId) {
      String name = error.code().awsType();
      int status = error.code().httpStatus();
      String message = error.getMessage();
      switch (error.code()) {
        case ACCESS_DENIED -> status = 403;
        case UNSUPPORTED_OPERATION -> status = 501;
        case THROTTLING -> status = 429;
        case DEPENDENCY_TIMEOUT -> status = 503;
        default -> {
          if (!error.code().isClientFault()) {
            name = "InternalException";
            status = 500;
            message =
                "An internal error occurred; see the server log under request id "
                    + requestId
                    + ".";
          }
        }
      }
      Map<String, String> body = new LinkedHashMap<>();
      body.put("errorName", name);
      if (message != null && !message.isEmpty()) {
        body.put("errorMessage", printable(message));
      }
      return new Answer(status, requestId, encode(body));
    }
  }

  /** Printable ASCII only, under 512 characters (spec, "Error codes"). */
  static String printable(String message) {
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
    for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      out.append(c >= 0x20 && c <= 0x7e ? c : '?');
    }
    return out.toString();
  }
}
