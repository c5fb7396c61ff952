package dev.keyhaven.kms.function.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared {@code Content-Length} is over {@code
 * quarkus.http.limits.max-body-size} before a byte of its body is read (security reference P10:
 * "bodies over the limit are rejected before JSON parsing"), with an AWS JSON error an SDK can read
 * — HTTP 413 and {@code {"__type":"ValidationException","message":...}} — instead of the bare empty
 * 413 Vert.x sends. The rest of the body is read and dropped (never buffered) for at most {@link
 * #LINGER_MILLIS}, then the connection is closed. A chunked body without a length is still cut by
 * Quarkus at the same limit (empty 413).
 *
 * <p>Such a request never reaches the protocol layer, so it has no audit event (it names no
 * operation Keyhaven ran, and the caller is not authenticated).
 */
@ApplicationScoped
public class BodySizeLimit {
  /** Runs before every other route handler, Quarkus's own body-size check included. */
  static final int ORDER = Integer.MIN_VALUE + 100;

  /** How long the rest of a refused body is read and dropped before the connection closes. */
  static final long LINGER_MILLIS = 5_000;

  private final long maxBytes;

  BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
    this.maxBytes = max.asLongValue();
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(ORDER)
        .handler(
            ctx -> {
              if (declaredLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH)) <= maxBytes) {
                ctx.next();
                return;
              }
              // Lingering close, as web servers do: the caller is usually still sending the body
              // it announced, and closing at once resets the connection before it reads this
              // answer. The rest of the body is read and dropped, never buffered, until it ends
              // or LINGER_MILLIS pass; then the connection is closed.
              HttpServerRequest request = ctx.request();
              HttpConnection connection = request.connection();
              request.handler(dropped -> {});
              request.endHandler(ended -> connection.close());
              ctx.vertx().setTimer(LINGER_MILLIS, timer -> connection.close());
              request.resume();
              ctx.response()
                  .setStatusCode(413)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.1")
                  .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                  .putHeader(HttpHeaders.CONNECTION, "close")
                  .end(
                      "{\"__type\":\"ValidationException\",\"message\":\"The request body is"
                          + " larger than the maximum of "
                          + maxBytes
                          + " bytes.\"}");
            });
  }

  /** The Content-Length header as a number; absent or unreadable counts as 0 (checked later). */
  static long declaredLength(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
