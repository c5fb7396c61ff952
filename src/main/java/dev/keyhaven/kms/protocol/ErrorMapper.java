package dev.keyhaven.kms.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.operation.port.DependencyUnavailable;

/**
 * Maps any failure to the AWS error the caller sees, in one place. Client faults keep their AWS
 * code and message; malformed bodies are SerializationException; a dependency an adapter could not
 * reach ({@link DependencyUnavailable}: the adapters recognise their drivers' failures) is
 * DependencyTimeoutException (503, retryable); everything else is KMSInternalException (500) with a
 * generic message, the detail going only to the server log under the request id.
 */
public final class ErrorMapper {
  private ErrorMapper() {}

  public static KmsException toKmsException(Throwable failure, String requestId) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KmsException kms) {
        return kms;
      }
      if (t instanceof JsonProcessingException) {
        // Never echo Jackson's text: it can quote the input.
        return new KmsException(
            ErrorCode.SERIALIZATION,
            "The request body is not a valid JSON document for this operation.");
      }
      if (t instanceof DependencyUnavailable) {
        return new KmsException(
            ErrorCode.DEPENDENCY_TIMEOUT,
            "The service cannot reach its database right now. Retry the request.");
      }
    }
    return KmsException.internal(requestId, failure);
  }
}
