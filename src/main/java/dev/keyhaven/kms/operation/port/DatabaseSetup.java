package dev.keyhaven.kms.operation.port;

/**
 * Brings the database to what this build needs before it serves anything: the schema, the root key
 * check, the audit signing key.
 *
 * <p>Contract: the server does all of it at startup. A Lambda function never migrates at startup
 * (no DDL in a request's cold start); a deployment applies the migrations once through {@link
 * #migrate} (the rotation artifact's migrate handler), and a function that finds the schema behind
 * refuses to start (crypto, admin) or defers its setup to {@link #ready} (rotation).
 *
 * <p>Both methods block on the database: call them from a worker thread (a Lambda handler's, a
 * startup observer's), never from a Vert.x event loop.
 */
public interface DatabaseSetup {
  /**
   * Applies the pending migrations (once each, under an advisory lock, so concurrent calls are
   * safe), then completes the setup as {@link #ready} does. Returns how many were applied.
   */
  int migrate();

  /**
   * Completes a setup deferred at startup; does nothing once done. Fails when migrations are still
   * pending or the root key does not match the database.
   */
  void ready();
}
