package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.DatabaseWatch;
import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.credentials.runtime.CredentialsProviderFinder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link DatabaseWatch} for PostgreSQL: work pending for {@link #PENDING_BEFORE_PROBE} makes a
 * probe — a new connection of its own (never one of the pool's, which may all be stuck) and {@code
 * SELECT 1} — that must answer within {@link #PROBE_TIMEOUT}; one probe serves every request for
 * {@link #PROBE_REUSE}. While probes answer, the work is waited for, however long. So a request on
 * a hung database ends within about 1.5 s, while lock waits and key generation take what they take.
 */
@ApplicationScoped
public class PgDatabaseWatch implements DatabaseWatch {
  static final Duration PENDING_BEFORE_PROBE = Duration.ofMillis(500);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  static final Duration PROBE_REUSE = Duration.ofMillis(250);

  private final Vertx vertx;
  private final Supplier<Future<PgConnectOptions>> options;
  private final Duration pendingBeforeProbe;
  private final Duration probeTimeout;
  private Uni<Boolean> probe;
  private long probeStarted;

  /** A probe's connection attempt not yet ended (a hung server holds it until it runs again). */
  private final AtomicBoolean probing = new AtomicBoolean();

  private volatile boolean lastAnswered = true;

  @Inject
  PgDatabaseWatch(
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      @ConfigProperty(name = "quarkus.datasource.credentials-provider-name")
          Optional<String> credentialsProvider) {
    this(
        vertx,
        withCredentials(options(url, user, password), credentialsProvider),
        PENDING_BEFORE_PROBE,
        PROBE_TIMEOUT);
  }

  PgDatabaseWatch(
      Vertx vertx, PgConnectOptions options, Duration pendingBeforeProbe, Duration probeTimeout) {
    this(vertx, () -> Future.succeededFuture(options), pendingBeforeProbe, probeTimeout);
  }

  private PgDatabaseWatch(
      Vertx vertx,
      Supplier<Future<PgConnectOptions>> options,
      Duration pendingBeforeProbe,
      Duration probeTimeout) {
    this.vertx = vertx;
    this.options = options;
    this.pendingBeforeProbe = pendingBeforeProbe;
    this.probeTimeout = probeTimeout;
  }

  /**
   * Each probe's connect options: {@code options}, with the user and password of the datasource's
   * credentials provider when one is configured (as the pool gets them for each connection).
   */
  static Supplier<Future<PgConnectOptions>> withCredentials(
      PgConnectOptions options, Optional<String> provider) {
    if (provider.isEmpty()) {
      return () -> Future.succeededFuture(options);
    }
    CredentialsProvider credentials = CredentialsProviderFinder.find(provider.get());
    return () ->
        Future.fromCompletionStage(
                credentials.getCredentialsAsync(provider.get()).subscribeAsCompletionStage())
            .map(
                values ->
                    new PgConnectOptions(options)
                        .setUser(values.get(CredentialsProvider.USER_PROPERTY_NAME))
                        .setPassword(values.get(CredentialsProvider.PASSWORD_PROPERTY_NAME)));
  }

  /** The reactive datasource's connect options, as Quarkus configures the pool. */
  static PgConnectOptions options(
      Optional<String> url, Optional<String> user, Optional<String> password) {
    PgConnectOptions options =
        url.map(
                u ->
                    PgConnectOptions.fromUri(u.startsWith("vertx-reactive:") ? u.substring(15) : u))
            .orElseGet(PgConnectOptions::new);
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    return options;
  }

  @Override
  public <T> Uni<T> guard(Uni<T> work) {
    // memoize: the caller giving up (below) does not cancel the work itself
    Uni<T> running = work.memoize().indefinitely();
    running.subscribe().with(ignored -> {}, ignored -> {});
    Uni<T> hung =
        Uni.createFrom()
            .<T>emitter(
                emitter -> {
                  AtomicLong timer = new AtomicLong(-1);
                  AtomicBoolean done = new AtomicBoolean();
                  emitter.onTermination(
                      () -> {
                        done.set(true);
                        vertx.cancelTimer(timer.get());
                      });
                  Runnable[] check = new Runnable[1];
                  check[0] =
                      () ->
                          timer.set(
                              vertx.setTimer(
                                  pendingBeforeProbe.toMillis(),
                                  id ->
                                      alive()
                                          .subscribe()
                                          .with(
                                              alive -> {
                                                if (done.get()) {
                                                  return;
                                                }
                                                if (alive) {
                                                  check[0].run();
                                                } else {
                                                  emitter.fail(new DatabaseHungException());
                                                }
                                              })));
                  check[0].run();
                });
    return Uni.join()
        .first(running, hung)
        .toTerminate()
        .onFailure()
        .transform(DatabaseFailures::classify);
  }

  /** Whether a fresh connection answers {@code SELECT 1} in time; shared for a short while. */
  synchronized Uni<Boolean> alive() {
    if (!lastAnswered && probing.get()) {
      // the last probe got no answer and its connection attempt still waits: no new one
      return Uni.createFrom().item(false);
    }
    long now = System.nanoTime();
    if (probe == null || now - probeStarted > PROBE_REUSE.toNanos()) {
      probeStarted = now;
      probe = probeOnce().memoize().indefinitely();
    }
    return probe;
  }

  private Uni<Boolean> probeOnce() {
    return Uni.createFrom()
        .<Boolean>emitter(
            emitter -> {
              AtomicBoolean settled = new AtomicBoolean();
              probing.set(true);
              long timer =
                  vertx.setTimer(
                      probeTimeout.toMillis(),
                      id -> {
                        if (settled.compareAndSet(false, true)) {
                          lastAnswered = false;
                          emitter.complete(false);
                        }
                      });
              Future<PgConnection> connecting =
                  options.get().compose(o -> PgConnection.connect(vertx, o));
              connecting
                  .compose(conn -> conn.query("SELECT 1").execute().andThen(r -> conn.close()))
                  .onComplete(
                      result -> {
                        probing.set(false);
                        vertx.cancelTimer(timer);
                        if (settled.compareAndSet(false, true)) {
                          lastAnswered = result.succeeded();
                          emitter.complete(result.succeeded());
                        }
                      });
            });
  }
}
