package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Database units of work. {@link #inSession} shares one connection among the reads of a request;
 * {@link #inTransaction} runs work in one database transaction: every repository call made by {@code work} joins it, and
 * it commits only if the returned Uni succeeds. A failure rolls everything back.
 */
public interface Transactions {
  <T> Uni<T> inTransaction(Supplier<Uni<T>> work);

  /** Runs read-only work on one session (one connection), without a transaction. */
  <T> Uni<T> inSession(Supplier<Uni<T>> work);
}
