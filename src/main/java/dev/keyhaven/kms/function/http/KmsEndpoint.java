package dev.keyhaven.kms.function.http;

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
 * The AWS KMS endpoint: {@code POST /} with {@code X-Amz-Target: TrentService.<Operation>}. The
 * same resource serves the local server (Vert.x HTTP) and API Gateway through the Lambda HTTP
 * adapter. The body is taken as raw bytes: {@code application/x-amz-json-1.1} is decoded by the
 * protocol layer, never by a framework reader.
 *
 * <p>The authenticator sees the path and query as sent (still percent-encoded, as SigV4 signs
 * them) and each header once, a repeated header's values joined with {@code ,} as in the SigV4
 * canonical form.
 */
@Path("/")
public class KmsEndpoint {
  private final KmsRequestHandler handler;

  KmsEndpoint(KmsRequestHandler handler) {
    this.handler = handler;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> handle(
      byte[] body,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      @Context HttpServerRequest connection) {
    Map<String, String> lowerCase = new HashMap<>();
    for (Map.Entry<String, List<String>> h : headers.getRequestHeaders().entrySet()) {
      if (!h.getValue().isEmpty()) {
        lowerCase.merge(
            h.getKey().toLowerCase(Locale.ROOT), String.join(",", h.getValue()), (a, b) -> a + "," + b);
      }
    }
    String target = lowerCase.get("x-amz-target");
    String path = uri.getRequestUri().getRawPath();
    var view =
        new Authenticator.HttpRequestView(
            "POST",
            path == null || path.isEmpty() ? "/" : path,
            uri.getRequestUri().getRawQuery(),
            lowerCase,
            body == null ? new byte[0] : body);
    // From the connection itself, never from client-supplied headers such as X-Forwarded-For.
    var origin =
        new KmsRequestHandler.Origin(
            connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress(),
            connection.isSSL());
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
}
