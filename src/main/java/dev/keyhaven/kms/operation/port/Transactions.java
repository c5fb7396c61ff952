package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Database units of work. {@link #inTransaction} runs work in one database transaction: every
 * repository call made by {@code work} joins it, and it commits only if the returned Uni succeeds.
 * A failure rolls everything back. {@link #inSession} runs read-only work: each read is its own
 * statement (READ COMMITTED, no snapshot across reads), or — for the hot rows — a cached row whose
 * version the request's audit transaction checks ({@link CachedReads}); an answer never relies on
 * state older than a change committed before the request began — the staleness bound of zero
 * (docs/key-hierarchy.md).
 */
public interface Transactions {
  <T> Uni<T> inTransaction(Supplier<Uni<T>> work);

  /**
   * Runs read-only work without a transaction; its reads may each use their own pooled connection.
   * Nested in {@link #inTransaction} it joins the transaction.
   */
  <T> Uni<T> inSession(Supplier<Uni<T>> work);
}
