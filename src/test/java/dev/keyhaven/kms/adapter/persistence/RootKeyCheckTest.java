package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.adapter.fips.FipsKeyMaterialCrypto;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A wrong root key fails startup with a clear message and changes nothing; the right one passes.
 * Also: the running service is in BC-FIPS approved-only mode.
 */
@QuarkusTest
class RootKeyCheckTest {
  @Inject Pool pool;
  @Inject FipsKeyMaterialCrypto crypto;
  @Inject RootOfTrust root;
  @Inject KmsConfig config;

  private byte[] storedCheck() {
    return pool.query("SELECT check_value FROM root_key_check WHERE id = 1")
        .execute()
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getBuffer(0)
        .getBytes();
  }

  @Test
  void checkRootKey_configuredKey_passes() {
    DatabaseStartup.checkRootKey(pool, root);
    assertTrue(crypto.matchesRootKeyCheck(storedCheck()));
  }

  @Test
  void checkRootKey_differentRootKey_failsClearlyAndChangesNothing() throws Exception {
    byte[] before = storedCheck();
    String otherRootKey = Base64.getEncoder().encodeToString(Fips.randomBytes(32));
    FipsKeyMaterialCrypto wrong = cryptoWithRootKey(otherRootKey);
    assertFalse(wrong.matchesRootKeyCheck(before));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DatabaseStartup.checkRootKey(pool, (RootOfTrust) wrong));
    assertTrue(
        e.getMessage().contains("not the one this database was created with"), e.getMessage());
    assertArrayEquals(before, storedCheck());
  }

  @Test
  void service_runsInFipsApprovedOnlyMode() {
    assertTrue(Fips.isApprovedOnlyMode());
  }

  /** The production crypto class over a config identical to ours but for the root key. */
  private FipsKeyMaterialCrypto cryptoWithRootKey(String base64) throws Exception {
    KmsConfig override =
        (KmsConfig)
            Proxy.newProxyInstance(
                KmsConfig.class.getClassLoader(),
                new Class<?>[] {KmsConfig.class},
                (proxy, method, args) ->
                    method.getName().equals("rootKey")
                        ? Optional.of(base64)
                        : method.invoke(config, args));
    var constructor =
        FipsKeyMaterialCrypto.class.getDeclaredConstructor(KmsConfig.class, Clock.class);
    constructor.setAccessible(true);
    return constructor.newInstance(override, Clock.systemUTC());
  }
}
