package dev.keyhaven.kms.function.http;

import dev.keyhaven.kms.operation.port.Authenticator;
import dev.keyhaven.kms.protocol.XksRequests;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The XKS proxy API endpoint AWS KMS calls for keys in an external key store (docs/xks.md;
 * aws-kms-xksproxy-api-spec): {@code POST <uriPrefix>/kms/xks/v1/keys/<externalKeyId>/metadata|
 * encrypt|decrypt} and {@code POST <uriPrefix>/kms/xks/v1/health}. Any other path below {@code
 * /kms/xks/v1} is InvalidUriPathException once the request is authenticated; another method than
 * POST is 405 ({@link UnroutedRequests}). The body is taken as raw bytes; the path and query go to
 * SigV4 as sent. Served by the long-running server (local mode: plain HTTP; production: the
 * production server's TLS, HTTP/1.1 or HTTP/2, optionally mutual TLS: {@link XksMutualTls}).
 */
@Path("/{prefix: [A-Za-z0-9_/-]+}/kms/xks/v1")
public class XksEndpoint {
  private final XksRequests requests;
  private final XksMutualTls mutualTls;

  XksEndpoint(XksRequests requests, XksMutualTls mutualTls) {
    this.requests = requests;
    this.mutualTls = mutualTls;
  }

  @POST
  @Path("keys/{keyId}/{operation}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> key(
      @PathParam("prefix") String prefix,
      @PathParam("keyId") String keyId,
      @PathParam("operation") String operation,
      byte[] body,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      @Context HttpServerRequest connection) {
    return handle(prefix, keyId, operation, body, headers, uri, connection);
  }

  @POST
  @Path("{rest: .*}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> other(
      @PathParam("prefix") String prefix,
      @PathParam("rest") String rest,
      byte[] body,
      @Context HttpHeaders headers,
      @Context UriInfo uri,
      @Context HttpServerRequest connection) {
    return handle(prefix, null, rest, body, headers, uri, connection);
  }

  /**
   * GET at any XKS path: 405 Method Not Allowed (spec, "API operations"), answered and audited as
   * every request of a method a resource does not serve ({@link UnroutedRequests}).
   */
  @GET
  @Path("{rest: .*}")
  public Response get() {
    throw new NotAllowedException("POST");
  }

  private Uni<Response> handle(
      String prefix,
      String keyId,
      String operation,
      byte[] body,
      HttpHeaders headers,
      UriInfo uri,
      HttpServerRequest connection) {
    var view =
        new Authenticator.HttpRequestView(
            "POST",
            uri.getRequestUri().getRawPath(),
            uri.getRequestUri().getRawQuery(),
            KmsEndpoint.signedHeaders(headers, connection),
            body == null ? new byte[0] : body);
    return requests
        .handle(
            "/" + prefix,
            keyId,
            operation,
            view,
            UnroutedRequests.origin(connection),
            mutualTls.refusal(connection))
        .map(
            answer ->
                Response.status(answer.status())
                    .header("x-amzn-RequestId", answer.requestId())
                    .type(XksRequests.CONTENT_TYPE)
                    .entity(answer.body())
                    .build());
  }
}
