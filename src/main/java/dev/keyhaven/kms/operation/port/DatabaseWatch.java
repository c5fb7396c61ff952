package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;

/**
 * Tells a hung database from a slow one, so that no request waits on a database that answers
 * nothing (docs/reliability.md, scenario 2: PostgreSQL frozen with SIGSTOP keeps its connections
 * open and the kernel still accepts new ones; there is no error, only silence).
 */
public interface DatabaseWatch {
  /**
   * The outcome of {@code work}, or {@link DatabaseHungException} once {@code work} has been
   * pending for a while and a fresh connection to the database got no answer in time. A failure of
   * {@code work} because the database could not be reached arrives as {@link DependencyUnavailable}
   * (with the driver's exception as its cause); any other failure as it is. A slow but answering
   * database, or slow work of our own (key generation), is waited for. {@code work} is not
   * cancelled: it runs to its end, so a late answer still commits or rolls back and returns its
   * connection; only its result is no longer anyone's.
   */
  <T> Uni<T> guard(Uni<T> work);

  /** The database answered nothing: DependencyTimeoutException for the caller. */
  final class DatabaseHungException extends DependencyUnavailable {
    public DatabaseHungException() {
      super("the database answered nothing in time", null);
    }
  }
}
