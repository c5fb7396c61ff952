package dev.keyhaven.kms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.key.KmsAction;
import org.junit.jupiter.api.Test;

/** Function membership is by plane alone, and only the server gets the local-mode privileges. */
class FunctionScopeTest {

  @Test
  void serves_everyAction_byItsPlaneOnly() {
    for (KmsAction action : KmsAction.values()) {
      boolean crypto = action.plane() == KmsAction.Plane.CRYPTO;
      assertTrue(FunctionScope.SERVER.serves(action), action.name());
      assertEquals(crypto, FunctionScope.CRYPTO.serves(action), action.name());
      assertEquals(!crypto, FunctionScope.ADMIN.serves(action), action.name());
      assertFalse(FunctionScope.ROTATION.serves(action), action.name());
      assertEquals(
          crypto ? FunctionScope.CRYPTO : FunctionScope.ADMIN,
          FunctionScope.servingFunction(action));
    }
  }

  @Test
  void serves_describeKeyAndKeyhavenAdmin_inTheirFunctions() {
    assertTrue(FunctionScope.CRYPTO.serves(KmsAction.DESCRIBE_KEY));
    for (KmsAction action : KmsAction.values()) {
      if (action.service() == KmsAction.Service.KEYHAVEN_ADMIN) {
        assertTrue(FunctionScope.ADMIN.serves(action), action.name());
      }
    }
  }

  @Test
  void current_inTheServerBuild_isServer() {
    assertEquals(FunctionScope.SERVER, FunctionScope.current());
  }

  @Test
  void localModePrivileges_serverOnly() {
    for (FunctionScope scope : FunctionScope.values()) {
      boolean server = scope == FunctionScope.SERVER;
      boolean longRunning = server || scope == FunctionScope.SERVE;
      assertEquals(server, scope.acceptsDevCredentials(), scope.name());
      assertEquals(server, scope.seedsKeys(), scope.name());
      assertEquals(longRunning, scope.migratesAtStartup(), scope.name());
      assertEquals(longRunning, scope.runsTimers(), scope.name());
      assertEquals(!longRunning, scope.isLambda(), scope.name());
    }
    for (KmsAction action : KmsAction.values()) {
      assertTrue(FunctionScope.SERVE.serves(action), action.name());
    }
    assertEquals(FunctionScope.SERVE, FunctionScope.of("serve"));
    assertFalse(FunctionScope.SERVE.behindHttpsGateway());
    assertTrue(FunctionScope.CRYPTO.behindHttpsGateway());
    assertTrue(FunctionScope.ADMIN.behindHttpsGateway());
    assertFalse(FunctionScope.SERVER.behindHttpsGateway());
  }

  @Test
  void of_unknownName_fails() {
    assertEquals(FunctionScope.CRYPTO, FunctionScope.of(" crypto\n"));
    assertThrows(IllegalArgumentException.class, () -> FunctionScope.of("everything"));
  }
}
