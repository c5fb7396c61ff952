package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.adapter.fips.FipsKeyMaterialCrypto;
import dev.keyhaven.kms.adapter.persistence.RootFixtures.FreshDatabase;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.support.SoftHsm;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The HSM root of trust at startup (SoftHSM2 tokens, each database a fresh schema of the test
 * PostgreSQL): a new installation creates the HSM key by label (or finds it) and a sealed domain
 * key; a restart opens it and unwraps what the first start wrapped; a secret root on an HSM
 * database, an HSM root on a secret database, another token or a missing label refuse to start, and
 * change nothing.
 */
@QuarkusTest
class HsmRootOfTrustTest {
  @Inject Pool pool;
  @Inject KmsConfig config;
  @Inject AuditWriters writers;
  @Inject Vertx vertx;

  @Test
  void newInstallation_createsTheKeyAndASealedDomainKey_restartOpensIt() throws Exception {
    try (FreshDatabase fresh = freshDatabase()) {
      Pool db = fresh.pool();
      FipsKeyMaterialCrypto first = crypto(hsm(SoftHsm.C, "keyhaven-root"));
      DatabaseStartup.checkRootKey(db, (RootOfTrust) first);
      DatabaseStartup.StoredRootRow row = DatabaseStartup.read(db);
      assertEquals(RootOfTrust.PKCS11, row.root().kind());
      assertEquals("keyhaven-root", row.root().hsmKeyLabel());
      assertNotNull(row.root().sealedDomainKey());
      UUID keyId = UUID.randomUUID();
      SecretBytes material = first.newSymmetricMaterial();
      WrappedKeyMaterial wrapped = first.wrap(keyId, 1, "m1", material);

      // A restart: a new process connects to the token, finds the key, opens the domain key.
      FipsKeyMaterialCrypto restarted = crypto(hsm(SoftHsm.C, "keyhaven-root"));
      DatabaseStartup.checkRootKey(db, (RootOfTrust) restarted);
      assertArrayEquals(
          material.exposeForCrypto(), restarted.unwrap(keyId, wrapped).exposeForCrypto());
      assertArrayEquals(
          row.root().sealedDomainKey(), DatabaseStartup.read(db).root().sealedDomainKey());

      // A second new installation on the same token and label finds that key (it creates no
      // second key of the label: the first database still opens) and draws its own domain key.
      try (FreshDatabase second = freshDatabase()) {
        FipsKeyMaterialCrypto other = crypto(hsm(SoftHsm.C, "keyhaven-root"));
        DatabaseStartup.checkRootKey(second.pool(), (RootOfTrust) other);
        assertThrows(
            IllegalStateException.class,
            () -> other.unwrap(keyId, wrapped),
            "another installation's domain key");
        DatabaseStartup.checkRootKey(db, (RootOfTrust) crypto(hsm(SoftHsm.C, "keyhaven-root")));
      }
    }
  }

  @Test
  void hsmDatabase_secretOrAnotherTokenOrLabel_refusedAndNothingChanged() throws Exception {
    try (FreshDatabase fresh = freshDatabase()) {
      Pool db = fresh.pool();
      DatabaseStartup.checkRootKey(db, (RootOfTrust) crypto(hsm(SoftHsm.D, "keyhaven-root")));
      DatabaseStartup.StoredRootRow before = DatabaseStartup.read(db);

      IllegalStateException secret =
          assertThrows(
              IllegalStateException.class,
              () -> DatabaseStartup.checkRootKey(db, (RootOfTrust) crypto(name -> null)));
      assertTrue(
          secret.getMessage().startsWith("This database's root of trust is an HSM"),
          secret.getMessage());
      assertTrue(secret.getMessage().contains("KMS_ROOT_OF_TRUST=pkcs11"), secret.getMessage());

      // Token B has a key of that label too, but not the one that sealed this domain key.
      ((RootOfTrust) crypto(hsm(SoftHsm.B, "keyhaven-root"))).initialize();
      IllegalStateException other =
          assertThrows(
              IllegalStateException.class,
              () ->
                  DatabaseStartup.checkRootKey(
                      db, (RootOfTrust) crypto(hsm(SoftHsm.B, "keyhaven-root"))));
      assertTrue(
          other
              .getMessage()
              .startsWith(
                  "This database's domain key does not open under the HSM key labelled 'keyhaven-root'"),
          other.getMessage());

      FipsKeyMaterialCrypto missing =
          (FipsKeyMaterialCrypto) crypto(hsm(SoftHsm.D, "not-this-label"));
      IllegalStateException label =
          assertThrows(
              IllegalStateException.class, () -> DatabaseStartup.checkRootKey(db, missing));
      assertTrue(
          label.getMessage().contains("there is no HSM key labelled 'not-this-label'"),
          label.getMessage());

      for (IllegalStateException e : new IllegalStateException[] {secret, other, label}) {
        assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
      }
      DatabaseStartup.StoredRootRow after = DatabaseStartup.read(db);
      assertArrayEquals(before.root().sealedDomainKey(), after.root().sealedDomainKey());
      assertArrayEquals(before.root().check(), after.root().check());
      // The refused start created no key under the label it looked for.
      IllegalStateException stillMissing =
          assertThrows(
              IllegalStateException.class, () -> DatabaseStartup.checkRootKey(db, missing));
      assertTrue(
          stillMissing.getMessage().contains("there is no HSM key labelled 'not-this-label'"));
    }
  }

  @Test
  void secretDatabase_hsmConfigured_refusedAndNothingChanged() throws Exception {
    // The test application's own database has a secret root.
    DatabaseStartup.StoredRootRow before = DatabaseStartup.read(pool);
    assertEquals(RootOfTrust.SECRET, before.root().kind());
    FipsKeyMaterialCrypto hsm =
        (FipsKeyMaterialCrypto) crypto(hsm(SoftHsm.D, "keyhaven-secret-db"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DatabaseStartup.checkRootKey(pool, hsm));
    assertTrue(
        e.getMessage().startsWith("This database's root of trust is a secret root key"),
        e.getMessage());
    assertTrue(e.getMessage().contains("./kms root-key migrate"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed."), e.getMessage());
    assertArrayEquals(before.root().check(), DatabaseStartup.read(pool).root().check());
  }

  // --- helpers ---

  private FipsKeyMaterialCrypto crypto(Function<String, Object> overrides) throws Exception {
    return RootFixtures.crypto(config, overrides);
  }

  private static Function<String, Object> hsm(String token, String label) {
    return RootFixtures.hsm(token, label, null);
  }

  private FreshDatabase freshDatabase() {
    return FreshDatabase.create(pool, writers, vertx);
  }
}
