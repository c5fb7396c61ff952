package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The datasource with a credentials provider, as a deployed function runs it ({@code
 * KMS_DATABASE_SECRET} makes {@code adapter.aws.AwsSecretsConfigSource} name {@code
 * adapter.aws.DatabaseSecretCredentials} in these two settings): the pool asks the provider at each
 * new connection — so the connections a restored copy opens use the provider's values of that
 * moment — and so does the database probe ({@link PgDatabaseWatch}).
 */
@QuarkusTest
@TestProfile(CredentialsProviderPoolTest.WithProvider.class)
class CredentialsProviderPoolTest {
  public static class WithProvider implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.credentials-provider", TestDatabaseCredentials.NAME,
          "quarkus.datasource.credentials-provider-name", TestDatabaseCredentials.NAME);
    }
  }

  private static final int MAX = 16; // quarkus.datasource.reactive.max-size

  @Inject Pool pool;
  @Inject TestDatabaseCredentials credentials;
  @Inject PgDatabaseWatch watch;

  @Test
  void newConnections_andTheProbe_useTheProvidersCurrentCredentials() throws Exception {
    assertTrue(credentials.asked() > 0, "the pool opened its startup connections without it");

    credentials.wrong(true);
    try {
      int asked = credentials.asked();
      assertTrue(
          borrowMax() < MAX, "new connections did not use the provider's (now wrong) password");
      assertTrue(credentials.asked() > asked);
      Thread.sleep(PgDatabaseWatch.PROBE_REUSE.toMillis() + 50);
      assertFalse(
          watch.alive().await().atMost(Duration.ofSeconds(10)), "the probe ignored the provider");
    } finally {
      credentials.wrong(false);
    }
    assertEquals(MAX, borrowMax());
    Thread.sleep(PgDatabaseWatch.PROBE_REUSE.toMillis() + 50);
    assertTrue(watch.alive().await().atMost(Duration.ofSeconds(10)));
  }

  /**
   * Borrows the pool's maximum number of connections at once — more than it holds, so it opens new
   * ones — returns them, and answers how many borrows succeeded.
   */
  private int borrowMax() {
    List<Uni<Boolean>> borrows = new ArrayList<>();
    for (int i = 0; i < MAX; i++) {
      borrows.add(
          pool.getConnection()
              .onItem()
              .transformToUni(c -> c.close().replaceWith(true))
              .onFailure()
              .recoverWithItem(false));
    }
    return (int)
        Uni.join().all(borrows).andFailFast().await().atMost(Duration.ofSeconds(30)).stream()
            .filter(ok -> ok)
            .count();
  }
}
