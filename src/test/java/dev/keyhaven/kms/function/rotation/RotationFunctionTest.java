package dev.keyhaven.kms.function.rotation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Rotation;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import dev.keyhaven.kms.function.lambda.TestKeys;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.Transactions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rotation function (built with {@code -Dfn=rotation}, handler {@code rotation}): the
 * EventBridge scheduled event of {@code tests/events/} runs the maintenance job through the real
 * Lambda handler and answers its summary; anything else is refused and changes nothing.
 */
@QuarkusTest
@TestProfile(RotationFunctionTest.RotationHandler.class)
class RotationFunctionTest {
  /** Selects the handler as the SAM template does ({@code QUARKUS_LAMBDA_HANDLER}). */
  public static class RotationHandler implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.lambda.handler", "rotation");
    }
  }

  @Inject KeyRepository keys;
  @Inject KeyMaterials materials;
  @Inject Transactions transactions;

  @Test
  void build_isTheRotationFunction_withNoApiOperation() {
    assertEquals(FunctionScope.ROTATION, FunctionScope.current());
    // Its own code is there under the name checked below for the other plane's.
    assertDoesNotThrow(() -> Class.forName("dev.keyhaven.kms.operation.KeyMaintenance"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.operation.crypto.Encrypt"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.operation.admin.CreateKey"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.keyhaven.kms.protocol.KmsRequestHandler"));
  }

  @Test
  void scheduledEvent_runsTheJob_andAnswersItsSummary() throws Throwable {
    // Drain whatever earlier tests left due, so the summary below counts this key alone.
    LambdaInvoker.invoke(LambdaInvoker.event("scheduled-event.json", Map.of()));
    KmsKey due =
        TestKeys.create(
            keys,
            materials,
            transactions,
            "444455556666",
            new Rotation(365, Instant.now().minus(Duration.ofHours(1)), 0));

    JsonNode summary = LambdaInvoker.invoke(LambdaInvoker.event("scheduled-event.json", Map.of()));

    assertEquals(1, summary.get("rotated").asInt(), summary.toString());
    assertEquals(0, summary.get("deleted").asInt(), summary.toString());
    assertEquals(0, summary.get("expired").asInt(), summary.toString());
    assertEquals(0, summary.get("remaining").asInt(), summary.toString());
    KmsKey after =
        VertxContextSupport.subscribeAndAwait(
                () -> transactions.inSession(() -> keys.findById(due.arn().keyId())))
            .orElseThrow();
    assertEquals(2, after.currentVersion());
    assertTrue(
        after.rotation().nextRotationDate().isAfter(Instant.now().plus(Duration.ofDays(364))));
  }

  @Test
  void otherPayload_refused_andNothingRotated() throws Throwable {
    KmsKey due =
        TestKeys.create(
            keys,
            materials,
            transactions,
            "444455556666",
            new Rotation(365, Instant.now().minus(Duration.ofHours(1)), 0));

    JsonNode answer =
        LambdaInvoker.invoke("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\"}");

    assertTrue(answer.toString().contains("not an EventBridge Scheduled Event"), answer.toString());
    KmsKey after =
        VertxContextSupport.subscribeAndAwait(
                () -> transactions.inSession(() -> keys.findById(due.arn().keyId())))
            .orElseThrow();
    assertEquals(1, after.currentVersion());
    // Leave nothing due for the other tests.
    LambdaInvoker.invoke(LambdaInvoker.event("scheduled-event.json", Map.of()));
  }
}
