package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SignedCalls.signed;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, suspected: the well-known {@code test}/{@code test} pair is accepted only by a local
 * server that listens on loopback alone. Bound to every interface ({@code 0.0.0.0}, e.g. {@code
 * KMS_HOST=0.0.0.0}), anyone on the network could sign as the dev account's root with it, so it is
 * off — the pair is then an unknown access key — although {@code kms.identity.dev-test-credentials}
 * is still true.
 */
@QuarkusTest
@TestProfile(DevTestCredentialsBindTest.AllInterfaces.class)
class DevTestCredentialsBindTest {
  /** The server listens on every interface. */
  public static class AllInterfaces implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.http.host", "0.0.0.0");
    }
  }

  @Test
  void testCredentials_serverOnAllInterfaces_unrecognized() {
    signed("test", "test", "CreateKey", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
  }
}
