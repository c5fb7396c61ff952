package dev.keyhaven.kms.adapter.persistence;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * The kind of database work the current request is inside, kept on its Vert.x (duplicated) context
 * as Hibernate Reactive keeps its session there.
 *
 * <p>Inside {@link Kind#READ_ONLY} work the hot single-row reads (a key, its material, an alias, an
 * identity policy) go straight to the reactive pool as one prepared statement each, skipping the
 * Hibernate Reactive session and entity load (docs/performance.md). Everywhere else — in a
 * transaction, or with no unit of work at all — reads join the Hibernate session, so a transaction
 * never waits on a second connection and sees its own writes.
 */
final class UnitOfWork {
  enum Kind {
    READ_ONLY,
    TRANSACTION
  }

  private static final String KEY = UnitOfWork.class.getName();

  private UnitOfWork() {}

  /** Whether the current request is inside read-only work (and not inside a transaction). */
  static boolean readOnly() {
    return VertxContext.isOnDuplicatedContext() && ContextLocals.get(KEY, null) == Kind.READ_ONLY;
  }

  /**
   * Runs {@code work} as {@code kind}; the enclosing kind is restored when it ends. Read-only work
   * nested in a transaction stays in the transaction. Off a duplicated context (nothing to hold the
   * mark) the work runs unmarked, which is the session path.
   */
  static <T> Uni<T> within(Kind kind, Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (!VertxContext.isOnDuplicatedContext()) {
                return work.get();
              }
              Kind outer = ContextLocals.get(KEY, null);
              if (outer == Kind.TRANSACTION || outer == kind) {
                return work.get();
              }
              ContextLocals.put(KEY, kind);
              return work.get().eventually(() -> restore(outer));
            });
  }

  private static void restore(Kind outer) {
    if (!VertxContext.isOnDuplicatedContext()) {
      return;
    }
    if (outer == null) {
      ContextLocals.remove(KEY);
    } else {
      ContextLocals.put(KEY, outer);
    }
  }
}
