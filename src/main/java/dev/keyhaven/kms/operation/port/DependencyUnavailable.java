package dev.keyhaven.kms.operation.port;

/**
 * A port could not reach what backs it — the database refused or closed the connection, no pooled
 * connection came free in time, or it answered nothing. Raised by adapters, which alone know their
 * driver's failures; the caller gets DependencyTimeoutException (HTTP 503, retryable). Whatever the
 * request meant to change did not commit, and its audit event did not become durable through this
 * attempt. The cause is for the server log only, never for the caller.
 */
public class DependencyUnavailable extends RuntimeException {
  public DependencyUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
