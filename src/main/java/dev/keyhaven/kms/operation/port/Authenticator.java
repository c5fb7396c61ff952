package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.policy.CallerIdentity;
import java.util.Map;

/**
 * Establishes who sent a request. Implementations verify a credential (a bearer JWT; AWS SigV4
 * later) and fail with an AWS authentication error (MissingAuthenticationTokenException,
 * UnrecognizedClientException, ExpiredTokenException), never a 500.
 */
public interface Authenticator {

  /** The parts of an HTTP request an authenticator may need; header names are lower case. */
  record HttpRequestView(String method, String path, Map<String, String> headers, byte[] body) {}

  CallerIdentity authenticate(HttpRequestView request);
}
