package dev.keyhaven.kms.local;

import dev.keyhaven.kms.operation.KeySeeding;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Seeded keys for development and CI (local mode only; docs/configuration.md, "Seeded keys"): the
 * file named by {@code kms.seed} ({@code KMS_SEED}, {@code ./kms dev --seed FILE}) is read at
 * start, before {@code dev.env} says the server is ready. Keys it names that do not exist yet are
 * created ({@link KeySeeding}); existing ones are left alone, each difference from the file logged.
 * A file with any problem creates nothing: the start is refused with every problem, each naming its
 * field.
 */
@ApplicationScoped
public class SeedKeys {
  private static final Logger LOG = Logger.getLogger(SeedKeys.class);

  private final KeySeeding seeding;
  private final Clock clock;

  SeedKeys(KeySeeding seeding, Clock clock) {
    this.seeding = seeding;
    this.clock = clock;
  }

  /**
   * Applies the seed file {@code file}; returns the report lines (also logged).
   *
   * @throws SeedFile.Problems when the file cannot be read or has problems (nothing was created)
   */
  public List<String> apply(Path file, String partition, String region, String accountId)
      throws Throwable {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SeedFile.Problems(List.of("cannot read " + file + ": " + e.getMessage()));
    }
    return apply(text, file.getFileName().toString(), partition, region, accountId);
  }

  /** As {@link #apply(Path, String, String, String)} for the file's text, named {@code name}. */
  public List<String> apply(
      String yaml, String name, String partition, String region, String accountId)
      throws Throwable {
    List<KeySeeding.SeedKey> keys = SeedFile.parse(yaml);
    List<String> problems = new ArrayList<>(seeding.problems(SeedFile.KEYS, keys));
    if (!problems.isEmpty()) {
      throw new SeedFile.Problems(problems);
    }
    KeySeeding.Target target = new KeySeeding.Target(partition, region, accountId, name);
    List<String> report =
        VertxContextSupport.subscribeAndAwait(() -> seeding.apply(target, keys, clock.instant()));
    for (String line : report) {
      if (line.contains(KeySeeding.LEFT_ALONE)) {
        LOG.warnf("seed %s: %s", name, line);
      } else {
        LOG.infof("seed %s: %s", name, line);
      }
    }
    return report;
  }
}
