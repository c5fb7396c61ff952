package dev.keyhaven.kms.adapter.metrics;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@link ServiceMetrics} on the Micrometer registry that Quarkus exposes in Prometheus's text
 * format on the management interface ({@code /q/metrics}; docs/self-hosting.md lists every metric).
 * Server packaging only.
 *
 * <p>The request path costs one counter increment and one timer record: the meters are resolved
 * once per (action, outcome, error code) and kept in arrays indexed by the enums' ordinals, so a
 * request allocates no tags and looks nothing up by name. Labels come only from {@link KmsAction},
 * {@link ErrorCode} and fixed words.
 */
@ApplicationScoped
public class PrometheusMetrics implements ServiceMetrics {
  /** Request latency buckets (seconds): the range a KMS answer spans, from cache hit to timeout. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
  };

  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final int actions = KmsAction.values().length + 1; // + "none"
  private final int codes = ErrorCode.values().length + 1; // + success
  private final AtomicReferenceArray<Counter> requests =
      new AtomicReferenceArray<>(actions * codes);
  private final AtomicReferenceArray<Timer> latencies = new AtomicReferenceArray<>(actions);
  private final Counter commits;
  private final Counter commitFailures;
  private final DistributionSummary batchSize;
  private final Timer commitLatency;
  private final Counter runs;
  private final Counter runFailures;
  private final Counter rotated;
  private final Counter deleted;
  private final Counter expired;
  private final java.util.List<Object> held = new java.util.ArrayList<>();

  PrometheusMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.commits =
        Counter.builder("kms.audit.commits")
            .description("Audit group commits, by result")
            .tag("result", "committed")
            .register(registry);
    this.commitFailures =
        Counter.builder("kms.audit.commits")
            .description("Audit group commits, by result")
            .tag("result", "failed")
            .register(registry);
    this.batchSize =
        DistributionSummary.builder("kms.audit.batch.size")
            .description("Events per audit group commit")
            .baseUnit("events")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
    this.commitLatency =
        Timer.builder("kms.audit.commit.duration")
            .description("Time of one audit group commit, BEGIN to COMMIT answered")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    this.runs = runCounter(registry, "succeeded");
    this.runFailures = runCounter(registry, "failed");
    this.rotated = actionCounter(registry, "rotated");
    this.deleted = actionCounter(registry, "deleted");
    this.expired = actionCounter(registry, "expired");
  }

  /** Registers every component's {@link Readings} once the application has started. */
  void bindReadings(@Observes StartupEvent event, Instance<Readings> sources) {
    for (Readings source : sources) {
      for (Readings.Reading r : source.readings()) {
        held.add(
            r.value()); // Micrometer holds a meter's object weakly: a lambda would be collected
        Tags tags = Tags.empty();
        for (var label : r.labels().entrySet()) {
          tags = tags.and(label.getKey(), label.getValue());
        }
        if (r.counter()) {
          FunctionCounter.builder(r.name(), r.value(), v -> v.getAsDouble())
              .description(r.help())
              .tags(tags)
              .register(registry);
        } else {
          Gauge.builder(r.name(), r.value(), v -> v.getAsDouble())
              .description(r.help())
              .tags(tags)
              .strongReference(
                  true) // Micrometer holds weakly by default: a lambda would be collected
              .register(registry);
        }
      }
    }
  }

  @Override
  public void request(KmsAction action, ErrorCode error, long nanos) {
    int a = action == null ? actions - 1 : action.ordinal();
    int c = error == null ? codes - 1 : error.ordinal();
    Counter counter = requests.get(a * codes + c);
    if (counter == null) {
      counter = requestCounter(action, error);
      requests.set(a * codes + c, counter); // registering twice returns the same meter
    }
    counter.increment();
    Timer timer = latencies.get(a);
    if (timer == null) {
      timer =
          Timer.builder("kms.request.duration")
              .description("Time from a request's arrival to its answer (its audit event durable)")
              .tag("action", action == null ? NONE : action.eventName())
              .serviceLevelObjectives(LATENCY_BUCKETS)
              .register(registry);
      latencies.set(a, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter requestCounter(KmsAction action, ErrorCode error) {
    String outcome =
        error == null ? "success" : error.isClientFault() ? "client_error" : "server_error";
    return Counter.builder("kms.requests")
        .description("Answered requests by action, outcome and AWS error code")
        .tag("action", action == null ? NONE : action.eventName())
        .tag("outcome", outcome)
        .tag("error_code", error == null ? NONE : error.awsType())
        .register(registry);
  }

  @Override
  public void auditCommit(int events, long nanos, boolean committed) {
    (committed ? commits : commitFailures).increment();
    if (committed) {
      batchSize.record(events);
      commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void maintenanceRun(int rotatedKeys, int deletedKeys, int expiredKeys, boolean succeeded) {
    (succeeded ? runs : runFailures).increment();
    rotated.increment(rotatedKeys);
    deleted.increment(deletedKeys);
    expired.increment(expiredKeys);
  }

  private static Counter runCounter(MeterRegistry registry, String result) {
    return Counter.builder("kms.maintenance.runs")
        .description("Runs of the maintenance job, by result")
        .tag("result", result)
        .register(registry);
  }

  private static Counter actionCounter(MeterRegistry registry, String action) {
    return Counter.builder("kms.maintenance.keys")
        .description("Keys the maintenance job acted on: rotated, deleted, material expired")
        .tag("action", action)
        .register(registry);
  }
}
