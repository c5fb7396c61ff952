package dev.keyhaven.kms.function.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyhaven.kms.function.lambda.LambdaInvoker;
import dev.keyhaven.kms.function.lambda.PackagedDatabase;
import dev.keyhaven.kms.function.lambda.PackagedFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged rotation artifact ({@code target/lambda-rotation/function.zip}) in JVMs of its own,
 * driven as Lambda's java21 runtime drives it: on an empty database the {@code migrate} handler
 * applies every migration (the deploy step), then the {@code rotation} handler answers the
 * scheduled event with the job's summary and refuses any other payload. The twin of {@link
 * RotationFunctionTest} and {@link MigrateFunctionTest} for the artifact itself.
 */
class RotationFunctionIT {

  @Test
  void packagedArtifact_migratesOnDeploy_thenRunsTheJobOnSchedule() throws Exception {
    try (PackagedDatabase deployment = PackagedDatabase.start()) {
      long scripts =
          Files.readAllLines(Path.of("src/main/resources/db/migration/index.txt")).stream()
              .filter(l -> !l.isBlank())
              .count();
      try (PackagedFunction migrate = PackagedFunction.start(handler(deployment, "migrate"))) {
        JsonNode applied = migrate.invoke("{}");
        assertEquals(scripts, applied.get("Applied").asLong(), applied + "\n" + migrate.log());
        assertEquals(0, migrate.invoke("{}").get("Applied").asInt());
      }
      try (PackagedFunction rotation = PackagedFunction.start(handler(deployment, "rotation"))) {
        JsonNode summary = rotation.invoke(LambdaInvoker.event("scheduled-event.json", Map.of()));
        assertEquals(0, summary.get("rotated").asInt(), summary + "\n" + rotation.log());
        assertEquals(0, summary.get("remaining").asInt(), summary.toString());
        JsonNode refused =
            rotation.invoke("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\"}");
        assertTrue(
            refused.toString().contains("not an EventBridge Scheduled Event"), refused.toString());
      }
    }
  }

  private static Map<String, String> handler(PackagedDatabase deployment, String name) {
    Map<String, String> env = new HashMap<>(deployment.environment());
    env.put("QUARKUS_LAMBDA_HANDLER", name);
    return env;
  }
}
