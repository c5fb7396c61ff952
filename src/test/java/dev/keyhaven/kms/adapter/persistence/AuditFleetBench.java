package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.operation.admin.VerifyAuditTrail;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The Lambda-shaped fleet benchmark (bench/fleet.sh, docs/performance.md): K writers, each a {@link
 * PgAuditLog} with its own one-connection pool and one append in flight at a time — as K Lambda
 * execution environments, with nothing to batch — append to one PostgreSQL through a proxy that
 * delays every packet by {@code fleet.delay-ms} each way, standing in for the network between a
 * Lambda and its database (0: no proxy). Mode {@code chains}: each writer leases its own chain
 * (this design); mode {@code one-chain}: every writer appends to one chain under one lease, which
 * is what the single head row of schema v4–v8 did. Prints one JSON line per K and appends it to
 * {@code fleet.out}; afterwards the whole trail must verify.
 *
 * <p>Not part of the CI suite by name (no {@code *Test}); bench/fleet.sh runs it, and its smoke (K
 * = 1 and 2, 2 s) runs in CI.
 */
@QuarkusTest
class AuditFleetBench {
  @Inject VerifyAuditTrail verifier;
  @Inject Vertx vertx;
  @Inject AuditWriters writers;

  @Test
  void fleet() throws Exception {
    List<Integer> counts =
        Arrays.stream(System.getProperty("fleet.k", "1,2,4,8,16").split(","))
            .map(Integer::valueOf)
            .toList();
    List<String> modes = List.of(System.getProperty("fleet.modes", "chains,one-chain").split(","));
    Duration duration = Duration.ofSeconds(Long.getLong("fleet.seconds", 10));
    Duration warmup = Duration.ofSeconds(Long.getLong("fleet.warmup-seconds", 3));
    long delayMs = Long.getLong("fleet.delay-ms", 1);
    Path out = Path.of(System.getProperty("fleet.out", "target/fleet-results.jsonl"));

    PgConnectOptions direct = writers.connectOptions();
    // Delay 0: no proxy, the writers connect to PostgreSQL directly.
    DelayProxy proxy =
        delayMs == 0 ? null : DelayProxy.start(vertx, direct.getHost(), direct.getPort(), delayMs);
    try {
      for (String mode : modes) {
        for (int k : counts) {
          String line =
              run(
                  mode,
                  k,
                  proxy == null ? direct.getPort() : proxy.port(),
                  warmup,
                  duration,
                  delayMs);
          System.out.println("fleet: " + line);
          Files.writeString(
              out,
              line + "\n",
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        }
      }
    } finally {
      if (proxy != null) {
        proxy.close();
      }
    }
    VerifyAuditTrail.Response trail = verifier.verifyTrail().await().indefinitely();
    System.out.printf(
        "fleet: trail verified: valid=%s chains=%d records=%d manifests=%d%n",
        trail.valid(), trail.chainsChecked(), trail.recordsChecked(), trail.manifestsChecked());
    assertTrue(trail.valid(), trail.findings().toString());
  }

  private String run(String mode, int k, int port, Duration warmup, Duration duration, long delayMs)
      throws InterruptedException {
    // As the service's own pool (quarkus.datasource.reactive.cache-prepared-statements=true).
    PgConnectOptions viaProxy = writers.connectOptions().setPort(port);
    viaProxy.setCachePreparedStatements(true);
    if (delayMs > 0) {
      viaProxy.setHost("127.0.0.1");
    }
    List<Pool> pools = new ArrayList<>();
    List<PgAuditLog> fleet = new ArrayList<>();
    io.vertx.mutiny.core.Vertx mutinyVertx = io.vertx.mutiny.core.Vertx.newInstance(vertx);
    for (int i = 0; i < k; i++) {
      Pool pool = Pool.pool(mutinyVertx, viaProxy, new PoolOptions().setMaxSize(1));
      pools.add(pool);
      PgAuditLog writer;
      if (mode.equals("one-chain") && i > 0) {
        writer = new PgAuditLog(fleet.get(0), pool);
      } else {
        writer = writers.start(pool);
      }
      fleet.add(writer);
    }
    long chains = fleet.stream().mapToLong(PgAuditLog::chainId).distinct().count();
    AtomicBoolean counting = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong appends = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong latencyNanos = new AtomicLong();
    CountDownLatch done = new CountDownLatch(k);
    for (PgAuditLog writer : fleet) {
      loop(writer, stop, counting, appends, failures, latencyNanos, done, 0);
    }
    Thread.sleep(warmup.toMillis());
    counting.set(true);
    long started = System.nanoTime();
    Thread.sleep(duration.toMillis());
    counting.set(false);
    double seconds = (System.nanoTime() - started) / 1e9;
    stop.set(true);
    assertTrue(done.await(60, TimeUnit.SECONDS), "writers stopped");
    for (int i = 0; i < k; i++) {
      if (!mode.equals("one-chain") || i == 0) {
        fleet.get(i).release(Duration.ofSeconds(10));
      }
      pools.get(i).close().await().indefinitely();
    }
    long n = appends.get();
    assertTrue(n > 0, "no append completed");
    return String.format(
        "{\"mode\":\"%s\",\"writers\":%d,\"chains\":%d,\"delayMsEachWay\":%d,\"seconds\":%.1f,"
            + "\"appends\":%d,\"appendsPerSecond\":%.0f,\"meanLatencyMs\":%.2f,\"failures\":%d}",
        mode,
        k,
        chains,
        delayMs,
        seconds,
        n,
        n / seconds,
        latencyNanos.get() / 1e6 / n,
        failures.get());
  }

  /** One writer: append, wait for the commit, append again — one request in flight. */
  private static void loop(
      PgAuditLog writer,
      AtomicBoolean stop,
      AtomicBoolean counting,
      AtomicLong appends,
      AtomicLong failures,
      AtomicLong latencyNanos,
      CountDownLatch done,
      int i) {
    if (stop.get()) {
      done.countDown();
      return;
    }
    long t0 = System.nanoTime();
    writer
        .append(AuditRecord.of(AuditScaleTest.event(i)))
        .subscribe()
        .with(
            ok -> {
              if (counting.get()) {
                appends.incrementAndGet();
                latencyNanos.addAndGet(System.nanoTime() - t0);
              }
              loop(writer, stop, counting, appends, failures, latencyNanos, done, i + 1);
            },
            failure -> {
              failures.incrementAndGet();
              loop(writer, stop, counting, appends, failures, latencyNanos, done, i + 1);
            });
  }

  /**
   * A TCP proxy that holds every chunk, each way, for {@code delayMs} before passing it on, in
   * order — one-way network latency for every statement and every answer.
   */
  private static final class DelayProxy {
    private final NetServer server;
    private final NetClient client;

    private DelayProxy(NetServer server, NetClient client) {
      this.server = server;
      this.client = client;
    }

    int port() {
      return server.actualPort();
    }

    static DelayProxy start(Vertx vertx, String host, int port, long delayMs) throws IOException {
      NetClient client = vertx.createNetClient();
      NetServer server =
          vertx
              .createNetServer()
              .connectHandler(
                  in -> {
                    in.pause();
                    client
                        .connect(port, host)
                        .onSuccess(
                            out -> {
                              pipe(vertx, in, out, delayMs);
                              pipe(vertx, out, in, delayMs);
                              in.resume();
                            })
                        .onFailure(f -> in.close());
                  });
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
      return new DelayProxy(server, client);
    }

    private static void pipe(Vertx vertx, NetSocket from, NetSocket to, long delayMs) {
      ArrayDeque<long[]> due = new ArrayDeque<>();
      ArrayDeque<Buffer> chunks = new ArrayDeque<>();
      boolean[] armed = {false};
      Runnable[] flush = new Runnable[1];
      flush[0] =
          () -> {
            long now = System.nanoTime();
            while (!due.isEmpty() && due.peekFirst()[0] <= now) {
              due.pollFirst();
              to.write(chunks.pollFirst());
            }
            armed[0] = false;
            if (!due.isEmpty()) {
              armed[0] = true;
              long waitMs = Math.max(1, (due.peekFirst()[0] - now + 999_999) / 1_000_000);
              vertx.setTimer(waitMs, t -> flush[0].run());
            }
          };
      from.handler(
          chunk -> {
            due.addLast(new long[] {System.nanoTime() + delayMs * 1_000_000});
            chunks.addLast(chunk);
            if (!armed[0]) {
              armed[0] = true;
              vertx.setTimer(delayMs, t -> flush[0].run());
            }
          });
      from.closeHandler(v -> to.close());
    }

    void close() {
      server.close();
      client.close();
    }
  }
}
