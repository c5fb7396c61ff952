package dev.keyhaven.kms.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Seeded keys are refused outside local mode (docs/configuration.md, "Seeded keys"). */
class SeedRefusalTest {

  @Test
  void seedSet_inEveryLambdaFunction_refusedWithTheReason() {
    for (FunctionScope scope : FunctionScope.values()) {
      if (!scope.isLambda()) {
        continue;
      }
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> SeedRefusal.check(scope, true));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "KMS_SEED (kms.seed) is set, but seeded keys are for" + " local mode only"),
          e.getMessage());
      assertDoesNotThrow(() -> SeedRefusal.check(scope, false));
    }
  }

  @Test
  void seedSet_inTheLocalServer_accepted() {
    assertDoesNotThrow(() -> SeedRefusal.check(FunctionScope.SERVER, true));
  }
}
