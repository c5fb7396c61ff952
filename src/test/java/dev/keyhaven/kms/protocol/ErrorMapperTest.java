package dev.keyhaven.kms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.operation.port.DependencyUnavailable;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  @Test
  void toKmsException_kmsExceptionAnywhereInChain_keptAsIs() {
    KmsException notFound = KmsException.notFound("Key 'x' does not exist");
    assertSame(notFound, ErrorMapper.toKmsException(new CompletionException(notFound), "r"));
  }

  @Test
  void toKmsException_dependencyUnavailable_dependencyTimeout503() {
    ConnectException cause = new ConnectException("Connection refused: localhost/127.0.0.1:5432");
    KmsException e =
        ErrorMapper.toKmsException(
            new CompletionException(new DependencyUnavailable("unreachable", cause)), "r");
    assertEquals(ErrorCode.DEPENDENCY_TIMEOUT, e.code());
    assertEquals(503, e.code().httpStatus());
    assertFalse(e.getMessage().contains("5432"));
  }

  @Test
  void toKmsException_driverFailureNoAdapterRecognised_internal500() {
    // Only adapters know which driver failures mean "unreachable"; here nothing said so.
    KmsException e =
        ErrorMapper.toKmsException(new ConnectException("Connection refused"), "req-2");
    assertEquals(ErrorCode.KMS_INTERNAL, e.code());
  }

  @Test
  void toKmsException_jsonError_serializationWithoutEchoingInput() {
    KmsException e =
        ErrorMapper.toKmsException(
            new JsonParseException(null, "Unexpected character 'SECRET-INPUT'"), "r");
    assertEquals(ErrorCode.SERIALIZATION, e.code());
    assertFalse(e.getMessage().contains("SECRET-INPUT"));
  }

  @Test
  void toKmsException_anythingElse_internalErrorWithRequestIdOnly() {
    KmsException e =
        ErrorMapper.toKmsException(
            new IllegalStateException("material of k v1 does not unwrap"), "req-1");
    assertEquals(ErrorCode.KMS_INTERNAL, e.code());
    assertEquals(500, e.code().httpStatus());
    assertTrue(e.getMessage().contains("req-1"));
    assertFalse(e.getMessage().contains("unwrap"));
  }
}
