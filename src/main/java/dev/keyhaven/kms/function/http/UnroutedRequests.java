package dev.keyhaven.kms.function.http;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.operation.RequestPipeline;
import dev.keyhaven.kms.protocol.KmsRequestHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Requests no resource serves — another method than POST on {@code /} or {@code /admin} (405), any
 * other path (404) — still leave their audit event (issue 16, item 7: every request does), then get
 * the same status as before, now with an AWS JSON error body and a request id. Three doors, one
 * answer: Quarkus REST's own 405/404 (a {@link NotAllowedException} or {@link NotFoundException},
 * mapped here); a last Vert.x route for paths Quarkus REST passes on; and a first one for {@code
 * OPTIONS}, which Quarkus REST would otherwise answer itself (200 with an {@code Allow} header, no
 * event) — Keyhaven serves no CORS preflight. The same router serves the local server and, through
 * the Lambda HTTP adapter, API Gateway.
 */
@ApplicationScoped
public class UnroutedRequests {
  /** After every other route: reached only by a request nothing else answered. */
  static final int ORDER = Integer.MAX_VALUE - 100;

  /** OPTIONS: after the body-size check, before Quarkus REST. */
  static final int OPTIONS_ORDER = BodySizeLimit.ORDER + 100;

  /** The paths the KMS endpoint serves (with POST): {@code /}, {@code /admin}, {@code /admin/}. */
  private static final Pattern KMS_PATH = Pattern.compile("/(admin/?)?");

  private final KmsRequestHandler handler;

  UnroutedRequests(KmsRequestHandler handler) {
    this.handler = handler;
  }

  void install(@Observes Router router) {
    router.route().order(ORDER).handler(ctx -> answer(ctx, 404));
    router
        .route()
        .method(HttpMethod.OPTIONS)
        .order(OPTIONS_ORDER)
        .handler(ctx -> answer(ctx, KMS_PATH.matcher(ctx.request().path()).matches() ? 405 : 404));
  }

  private void answer(RoutingContext ctx, int status) {
    refuse(ctx.request(), status)
        .subscribe()
        .with(
            answer -> {
              ctx.response()
                  .setStatusCode(answer.status())
                  .putHeader("x-amzn-RequestId", answer.requestId())
                  .putHeader("Content-Type", KmsRequestHandler.CONTENT_TYPE);
              if (answer.status() == 405) {
                ctx.response().putHeader("Allow", "POST");
              }
              ctx.response().end(Buffer.buffer(answer.body()));
            },
            ctx::fail);
  }

  @ServerExceptionMapper
  public Uni<Response> notFound(NotFoundException e, RoutingContext ctx) {
    return refuse(ctx.request(), 404).map(answer -> response(answer).build());
  }

  @ServerExceptionMapper
  public Uni<Response> notAllowed(NotAllowedException e, RoutingContext ctx) {
    return refuse(ctx.request(), 405)
        .map(answer -> response(answer).header("Allow", "POST").build());
  }

  private Uni<RequestPipeline.Answer> refuse(HttpServerRequest request, int status) {
    return handler.refuse(
        status,
        request.method().name(),
        request.path(),
        lowerCaseHeaders(request),
        origin(request));
  }

  private static Response.ResponseBuilder response(RequestPipeline.Answer answer) {
    return Response.status(answer.status())
        .header("x-amzn-RequestId", answer.requestId())
        .type(KmsRequestHandler.CONTENT_TYPE)
        .entity(answer.body());
  }

  /** Each header once, lower-case, repeated values joined with {@code ,}. */
  static Map<String, String> lowerCaseHeaders(HttpServerRequest request) {
    Map<String, String> headers = new HashMap<>();
    request
        .headers()
        .forEach(
            h ->
                headers.merge(
                    h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b));
    return headers;
  }

  /**
   * The connection's own address, never a client-supplied header such as X-Forwarded-For (in a
   * function: API Gateway's requestContext.http.sourceIp, which the Lambda adapter connects from).
   */
  static KmsRequestHandler.Origin origin(HttpServerRequest connection) {
    return new KmsRequestHandler.Origin(
        connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress(),
        connection.isSSL() || FunctionScope.current().behindHttpsGateway());
  }
}
