package dev.keyhaven.kms.operation.port;

/**
 * The hot-state cache of the persistence adapter (keys, material versions, aliases, identity
 * policies, access keys), seen from the request pipeline.
 */
public interface StateCache {

  /**
   * Starts an attempt at the current request: reads during it come from the cache (recorded in the
   * returned {@link CachedReads}) unless {@code fresh}, in which case every read goes to the
   * database (and refreshes the cache). Must be called on the request's own (duplicated) Vert.x
   * context; elsewhere the attempt reads fresh.
   */
  CachedReads begin(boolean fresh);

  /** Drops every cached entry: this instance committed a state change. */
  void invalidateAll();
}
