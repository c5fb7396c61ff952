package dev.keyhaven.kms.function.http;

import dev.keyhaven.kms.operation.port.Authenticator;
import dev.keyhaven.kms.protocol.KmsRequestHandler;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AWS KMS endpoint: {@code POST /} with {@code X-Amz-Target: TrentService.<Operation>}. The
 * same resource serves the local server (Vert.x HTTP) and API Gateway through the Lambda HTTP
 * adapter. The body is taken as raw bytes: {@code application/x-amz-json-1.1} is decoded by the
 * protocol layer, never by a framework reader.
 */
@Path("/")
public class KmsEndpoint {
  private final KmsRequestHandler handler;

  KmsEndpoint(KmsRequestHandler handler) {
    this.handler = handler;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> handle(byte[] body, @Context HttpHeaders headers) {
    Map<String, String> lowerCase = new HashMap<>();
    for (Map.Entry<String, List<String>> h : headers.getRequestHeaders().entrySet()) {
      if (!h.getValue().isEmpty()) {
        lowerCase.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().get(0));
      }
    }
    String target = lowerCase.get("x-amz-target");
    var view = new Authenticator.HttpRequestView("POST", "/", lowerCase, body == null ? new byte[0] : body);
    return handler
        .handle(target, view)
        .map(
            answer ->
                Response.status(answer.status())
                    .header("x-amzn-RequestId", answer.requestId())
                    .type(KmsRequestHandler.CONTENT_TYPE)
                    .entity(answer.body())
                    .build());
  }
}
