package dev.keyhaven.kms.operation.port;

import java.util.ArrayList;
import java.util.List;

/**
 * One attempt at a request, as the hot-state cache sees it: whether the attempt may answer from
 * cached state, and the state versions it relied on when it did (docs/performance.md, "Hot state").
 *
 * <p>The contract that keeps the staleness bound at 0: an attempt's audit event is made durable
 * only if every version it relied on is still current in the transaction that writes the event;
 * otherwise that transaction leaves the event out and fails the attempt with {@link
 * StaleStateException}, and the request is evaluated again, once, with {@link #fresh()} state.
 * State read from the database during an attempt is as fresh as the attempt itself and is never
 * recorded here.
 */
public final class CachedReads {
  /** A scope's version that an answer relied on; scopes are named by the persistence adapter. */
  public record Dependency(String scope, long version) {}

  /** An attempt that used no cache: nothing to check. */
  public static final CachedReads NONE = new CachedReads(true);

  private final boolean fresh;
  private final List<Dependency> dependencies = new ArrayList<>(4);

  public CachedReads(boolean fresh) {
    this.fresh = fresh;
  }

  /** Whether this attempt must read every piece of state from the database. */
  public boolean fresh() {
    return fresh;
  }

  /** Records that the attempt answered from {@code scope} at {@code version}. */
  public synchronized void relyOn(String scope, long version) {
    if (fresh) {
      throw new IllegalStateException("a fresh attempt relies on no cached state");
    }
    for (Dependency d : dependencies) {
      if (d.scope().equals(scope) && d.version() == version) {
        return;
      }
    }
    dependencies.add(new Dependency(scope, version));
  }

  /** The versions relied on so far. */
  public synchronized List<Dependency> dependencies() {
    return List.copyOf(dependencies);
  }
}
