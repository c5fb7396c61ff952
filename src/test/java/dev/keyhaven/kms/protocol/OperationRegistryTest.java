package dev.keyhaven.kms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dispatch in a function: its own operations answer, the other function's are refused with the
 * error that names where they belong, and a build holding another plane's operation does not start.
 */
class OperationRegistryTest {
  private static final KmsConfig.Endpoints ENDPOINTS =
      new KmsConfig.Endpoints() {
        @Override
        public String crypto() {
          return "https://kms.example/";
        }

        @Override
        public String admin() {
          return "https://kms.example/admin";
        }
      };

  /**
   * An operation of no particular body; its action is read from {@code @Action}, as in production.
   */
  private abstract static class Stub implements KmsOperation<Object, Object> {
    @Override
    public Uni<Object> execute(RequestContext context, Object request) {
      return Uni.createFrom().nullItem();
    }
  }

  @Action(KmsAction.ENCRYPT)
  private static final class EncryptStub extends Stub {}

  @Action(KmsAction.CREATE_KEY)
  private static final class CreateKeyStub extends Stub {}

  private static KmsOperation<Object, Object> operation(KmsAction action) {
    return switch (action) {
      case ENCRYPT -> new EncryptStub();
      case CREATE_KEY -> new CreateKeyStub();
      default -> throw new IllegalArgumentException(action.name());
    };
  }

  @Test
  void require_ownOperation_found() {
    KmsOperation<Object, Object> encrypt = operation(KmsAction.ENCRYPT);
    var registry = new OperationRegistry(List.of(encrypt), FunctionScope.CRYPTO, ENDPOINTS);
    assertSame(KmsAction.ENCRYPT, registry.require("TrentService.Encrypt").action());
    assertSame(Object.class, registry.require("TrentService.Encrypt").requestType());
  }

  @Test
  void require_adminOperationInCrypto_refusedNamingAdminEndpoint() {
    var registry =
        new OperationRegistry(
            List.of(operation(KmsAction.ENCRYPT)), FunctionScope.CRYPTO, ENDPOINTS);
    KmsException e =
        assertThrows(KmsException.class, () -> registry.require("KeyhavenAdmin.CreateAccessKey"));
    assertEquals(ErrorCode.UNKNOWN_OPERATION, e.code());
    assertEquals(
        "CreateAccessKey is not served by this endpoint (Keyhaven's crypto function). Send it to"
            + " the admin function: https://kms.example/admin",
        e.getMessage());
  }

  @Test
  void require_cryptoOperationInAdmin_refusedNamingCryptoEndpoint() {
    var registry =
        new OperationRegistry(
            List.of(operation(KmsAction.CREATE_KEY)), FunctionScope.ADMIN, ENDPOINTS);
    KmsException e =
        assertThrows(KmsException.class, () -> registry.require("TrentService.DescribeKey"));
    assertEquals(
        "DescribeKey is not served by this endpoint (Keyhaven's admin function). Send it to the"
            + " crypto function: https://kms.example/",
        e.getMessage());
  }

  @Test
  void require_unknownTarget_unknownOperation() {
    var registry = new OperationRegistry(List.of(), FunctionScope.CRYPTO, ENDPOINTS);
    KmsException e = assertThrows(KmsException.class, () -> registry.require("TrentService.Bogus"));
    assertEquals("Unknown operation TrentService.Bogus", e.getMessage());
    assertEquals(
        "Unknown operation null",
        assertThrows(KmsException.class, () -> registry.require(null)).getMessage());
  }

  @Test
  void construct_otherPlanesOperationInTheBuild_failsStartup() {
    assertThrows(
        IllegalStateException.class,
        () ->
            new OperationRegistry(
                List.of(operation(KmsAction.CREATE_KEY)), FunctionScope.CRYPTO, ENDPOINTS));
    assertThrows(
        IllegalStateException.class,
        () ->
            new OperationRegistry(
                List.of(operation(KmsAction.ENCRYPT)), FunctionScope.ROTATION, ENDPOINTS));
  }
}
