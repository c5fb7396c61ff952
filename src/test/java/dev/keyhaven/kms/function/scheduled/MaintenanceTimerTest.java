package dev.keyhaven.kms.function.scheduled;

import static org.hamcrest.Matchers.equalTo;

import dev.keyhaven.kms.support.KmsApi;
import dev.keyhaven.kms.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trigger (b): with {@code kms.maintenance.interval} set, the server runs the job by itself — a key
 * whose deletion window has passed disappears without any API call. Waits on the timer's completed
 * runs, not on the wall clock.
 */
@QuarkusTest
@TestProfile(MaintenanceTimerTest.EverySecond.class)
class MaintenanceTimerTest {
  /** The timer on, every second (the other test classes turn it off and run the job directly). */
  public static class EverySecond implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("kms.maintenance.interval", "1s");
    }
  }

  private final KmsApi kms = KmsApi.newAccount();

  @Inject MaintenanceTimer timer;
  @Inject TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void timer_deletionWindowPassed_deletesWithoutAnyApiCall() throws Exception {
    String keyId = kms.createKey();
    kms.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
        .statusCode(200);
    clock.advance(Duration.ofDays(8));
    // A run that started before the clock moved may judge by the old time: wait for the next one
    // after it, which started after the move.
    timer.nextRun().get(60, TimeUnit.SECONDS);
    timer.nextRun().get(60, TimeUnit.SECONDS);
    kms.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
  }
}
