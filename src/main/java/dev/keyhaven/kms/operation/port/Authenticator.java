package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.policy.CallerIdentity;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * Establishes who sent a request. Implementations verify a credential (a bearer JWT or an AWS
 * Signature Version 4) and fail with an AWS authentication error
 * (MissingAuthenticationTokenException, UnrecognizedClientException, ExpiredTokenException), never
 * a 500.
 */
public interface Authenticator {

  /**
   * The parts of an HTTP request an authenticator may need.
   *
   * @param method e.g. {@code POST}
   * @param path the request path as sent on the wire (still percent-encoded), e.g. {@code /}
   * @param rawQuery the query string as sent on the wire without {@code ?}; empty when none
   * @param headers one value per header; names are lower case
   * @param body the raw request body (empty, never null, when there is none)
   */
  record HttpRequestView(
      String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
    public HttpRequestView {
      rawQuery = rawQuery == null ? "" : rawQuery;
    }
  }

  Uni<CallerIdentity> authenticate(HttpRequestView request);
}
