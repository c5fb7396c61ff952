package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The in-memory stand-in for PostgreSQL behind the fakes of the persistence ports: tables of
 * immutable rows and {@link Transactions} over them.
 *
 * <p>The contracts the SQL adapters keep, kept here for the paths the unit tests take: a
 * transaction commits only if its work succeeds and a failure rolls back every table it wrote;
 * {@link #inTransaction} nested in another joins it; writes and row locks ({@code …ForUpdate}) are
 * refused outside a transaction, so an operation that forgets to open one fails here as it would
 * lose its atomicity there. Single-threaded: the row lock itself is not modelled (the HTTP and
 * PostgreSQL tests cover concurrent writers).
 */
final class InMemoryDatabase implements Transactions {
  private final List<Map<?, ?>> tables = new ArrayList<>();
  private int depth;
  private int commits;

  /** A new, empty table whose rows take part in transactions. */
  <K, V> Map<K, V> table() {
    Map<K, V> table = new HashMap<>();
    tables.add(table);
    return table;
  }

  @Override
  public <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
    if (depth > 0) {
      return Uni.createFrom().deferred(work::get);
    }
    return Uni.createFrom()
        .deferred(
            () -> {
              List<Map<Object, Object>> before = snapshot();
              depth++;
              return Uni.createFrom()
                  .deferred(work::get)
                  .onItem()
                  .invoke(ignored -> commits++)
                  .onFailure()
                  .invoke(failure -> restore(before))
                  .onTermination()
                  .invoke(() -> depth--);
            });
  }

  @Override
  public <T> Uni<T> inSession(Supplier<Uni<T>> work) {
    return Uni.createFrom().deferred(work::get);
  }

  /** Fails unless a transaction is open: {@code what} writes or locks rows. */
  void requireTransaction(String what) {
    if (depth == 0) {
      throw new IllegalStateException(what + " outside a transaction");
    }
  }

  /** Transactions committed so far. */
  int commits() {
    return commits;
  }

  private List<Map<Object, Object>> snapshot() {
    List<Map<Object, Object>> copies = new ArrayList<>();
    for (Map<?, ?> table : tables) {
      copies.add(new HashMap<>(table));
    }
    return copies;
  }

  @SuppressWarnings("unchecked")
  private void restore(List<Map<Object, Object>> before) {
    for (int i = 0; i < tables.size(); i++) {
      Map<Object, Object> table = (Map<Object, Object>) tables.get(i);
      table.clear();
      table.putAll(before.get(i));
    }
  }
}
