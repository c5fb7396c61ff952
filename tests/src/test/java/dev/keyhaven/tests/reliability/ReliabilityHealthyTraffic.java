package dev.keyhaven.tests.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Healthy traffic beside the hostile input: a few threads that Encrypt in a loop and record each
 * call's latency. {@link #window} returns the latencies of one phase, so the p99 during an attack
 * is compared with the p99 of a quiet baseline. A healthy call that does not answer 200 counts as
 * an error of its phase.
 */
final class ReliabilityHealthyTraffic implements AutoCloseable {
  /** One phase's latencies (ms) and errors. */
  record Window(List<Double> millis, long errors) {
    double percentile(double p) {
      if (millis.isEmpty()) {
        return Double.NaN;
      }
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }
  }

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final List<Double> current = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong errors = new AtomicLong();

  ReliabilityHealthyTraffic(ReliabilityHttp http, String keyId, int threadCount) {
    String body =
        "{\"KeyId\":\""
            + keyId
            + "\",\"Plaintext\":\"aGVhbHRoeQ==\","
            + "\"EncryptionContext\":{\"traffic\":\"healthy\"}}";
    for (int i = 0; i < threadCount; i++) {
      Thread t =
          new Thread(
              () -> {
                while (running.get()) {
                  ReliabilityHttp.Answer a = http.call("Encrypt", body);
                  if (a.status() == 200) {
                    current.add(a.nanos() / 1e6);
                  } else {
                    errors.incrementAndGet();
                  }
                }
              },
              "healthy-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /** The latencies since the last call, and starts a new phase. */
  Window window() {
    synchronized (current) {
      Window w = new Window(new ArrayList<>(current), errors.getAndSet(0));
      current.clear();
      return w;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(70_000);
    }
  }
}
