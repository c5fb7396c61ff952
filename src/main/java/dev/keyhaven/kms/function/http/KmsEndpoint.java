package dev.keyhaven.kms.function.http;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.operation.port.Authenticator;
import dev.keyhaven.kms.protocol.KmsRequestHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AWS KMS endpoint: {@code POST /} with {@code X-Amz-Target: TrentService.<Operation>}, and the
 * same at {@code POST /admin} (the admin function's route in the HTTP API; docs/serverless.md).
 * Which operations answer is the build's {@link FunctionScope}, not the path: the server answers
 * every operation on both, a function only its own on either. The same resource serves the local
 * server (Vert.x HTTP) and API Gateway through the Lambda HTTP adapter. The body is taken as raw
 * bytes: {@code application/x-amz-json-1.1} is decoded by the protocol layer, never by a framework
 * reader.
 *
 * <p>The authenticator sees the path and query as sent (still percent-encoded, as SigV4 signs them)
 * and each header once, a repeated header's values joined with {@code ,} as in the SigV4 canonical
 * form; through the single endpoint, the host and path the client signed ({@link ViewerRequest}).
 */
@Path("/")
public class KmsEndpoint {
  private final KmsRequestHandler handler;

  KmsEndpoint(KmsRequestHandler handler) {
    this.handler = handler;
  }

  /** {@code POST /admin} and {@code POST /admin/}: the admin function's route. */
  @POST
  @Path("{admin: admin/?}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> handleAdmin(
      byte[] body,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      @Context HttpServerRequest connection) {
    return handle(body, headers, uri, connection);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> handle(
      byte[] body,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      @Context HttpServerRequest connection) {
    Map<String, String> lowerCase = signedHeaders(headers, connection);
    String target = lowerCase.get("x-amz-target");
    String path = uri.getRequestUri().getRawPath();
    var view =
        ViewerRequest.asSigned(
            new Authenticator.HttpRequestView(
                "POST",
                path == null || path.isEmpty() ? "/" : path,
                uri.getRequestUri().getRawQuery(),
                lowerCase,
                body == null ? new byte[0] : body));
    var origin = UnroutedRequests.origin(connection);
    return handler
        .handle(target, view, origin)
        .map(
            answer ->
                Response.status(answer.status())
                    .header("x-amzn-RequestId", answer.requestId())
                    .type(KmsRequestHandler.CONTENT_TYPE)
                    .entity(answer.body())
                    .build());
  }

  /**
   * The headers as SigV4 sees them ({@link #lowerCaseHeaders}), with {@code host}: HTTP/2 (TLS with
   * ALPN, ./kms serve) carries the host as the :authority pseudo-header, not as a Host header;
   * SigV4 signs it as "host" either way (AWS General Reference, canonical headers).
   */
  static Map<String, String> signedHeaders(HttpHeaders headers, HttpServerRequest connection) {
    Map<String, String> lowerCase = lowerCaseHeaders(headers);
    if (connection != null && connection.host() != null) {
      lowerCase.putIfAbsent("host", connection.host());
    }
    return lowerCase;
  }

  /** Each header once, its name lower-case, a repeated header's values joined with {@code ,}. */
  static Map<String, String> lowerCaseHeaders(HttpHeaders headers) {
    Map<String, String> lowerCase = new HashMap<>();
    for (Map.Entry<String, List<String>> h : headers.getRequestHeaders().entrySet()) {
      if (!h.getValue().isEmpty()) {
        lowerCase.merge(
            h.getKey().toLowerCase(Locale.ROOT),
            String.join(",", h.getValue()),
            (a, b) -> a + "," + b);
      }
    }
    return lowerCase;
  }
}
