package dev.keyhaven.kms.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Seeded keys are a local-mode feature (docs/configuration.md, "Seeded keys"): a Lambda function
 * whose settings name a seed file ({@code KMS_SEED}) refuses to start, saying why, rather than
 * ignore it. The local server reads the file itself (src/local {@code SeedKeys}).
 */
@ApplicationScoped
public class SeedRefusal {
  void onStart(@Observes StartupEvent event, KmsConfig config) {
    check(FunctionScope.current(), config.seed().isPresent());
  }

  /** Throws when {@code scope} may not seed keys but a seed file is set. */
  static void check(FunctionScope scope, boolean seedSet) {
    if (seedSet && !scope.seedsKeys()) {
      throw new IllegalStateException(
          "KMS_SEED (kms.seed) is set, but seeded keys are for local mode only (./kms dev --seed):"
              + " the "
              + scope.name().toLowerCase()
              + " function does not start with it. Unset"
              + " KMS_SEED in the function's environment and create keys through the API.");
    }
  }
}
