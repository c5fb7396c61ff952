package dev.keyhaven.kms.operation.port;

/**
 * An attempt answered from cached state whose version moved before its audit event was written
 * ({@link CachedReads}): nothing of it was made durable and its answer must not be sent. The
 * request is evaluated again with fresh state. Never reaches a caller.
 */
public final class StaleStateException extends RuntimeException {
  public StaleStateException(String message) {
    super(message, null, false, false);
  }
}
