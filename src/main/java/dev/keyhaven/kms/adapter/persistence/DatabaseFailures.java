package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.DependencyUnavailable;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Tells "the database could not be reached" apart from every other failure, here where the driver's
 * exceptions are known (Vert.x PostgreSQL client, Netty, Hibernate Reactive), so nothing above the
 * adapters matches exception text. A database that answered with an error (a constraint, a
 * serialization failure, bad SQL) is not unavailable and stays what it is.
 */
final class DatabaseFailures {
  /** Vert.x SQL pool: no connection came free within the pool's wait timeout (no own type). */
  private static final String POOL_WAIT_TIMEOUT = "Timeout waiting for connection";

  /** Hibernate Reactive: the session's connection was closed under it (its message HR000… ). */
  private static final String SESSION_CONNECTION_CLOSED = "Connection is closed";

  private DatabaseFailures() {}

  /**
   * {@link DependencyUnavailable} with {@code failure} as its cause when any link of its cause
   * chain says the database could not be reached; otherwise {@code failure} itself.
   */
  static Throwable classify(Throwable failure) {
    if (failure instanceof DependencyUnavailable) {
      return failure;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (unreachable(t)) {
        return new DependencyUnavailable("the database could not be reached", failure);
      }
    }
    return failure;
  }

  private static boolean unreachable(Throwable t) {
    if (t instanceof ConnectException // refused, or Netty's ConnectTimeoutException (a subclass)
        || t instanceof ClosedConnectionException
        || t instanceof ClosedChannelException
        || t instanceof TimeoutException) {
      return true;
    }
    String message = t.getMessage();
    if (message == null) {
      return false;
    }
    return (t instanceof VertxException && message.startsWith(POOL_WAIT_TIMEOUT))
        || message.contains(SESSION_CONNECTION_CLOSED);
  }
}
