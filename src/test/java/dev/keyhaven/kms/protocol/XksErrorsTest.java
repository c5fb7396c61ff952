package dev.keyhaven.kms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.RequestPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The XKS proxy API's error answers (aws-kms-xksproxy-api-spec, "Error codes"): each failure's
 * errorName and HTTP status, including the server-side ones an in-process test cannot provoke
 * (InternalException 500, DependencyTimeoutException 503, ThrottlingException 429), and the
 * errorMessage limits.
 */
class XksErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RequestPipeline.Wire wire =
      new XksRequests(null, null, null).wire(KmsAction.XKS_ENCRYPT, "/keystores/x", "k");

  private record Answer(int status, String errorName, String errorMessage) {}

  private Answer answer(ErrorCode code, String message) throws Exception {
    KmsException error = wire.translate(new KmsException(code, message));
    RequestPipeline.Answer response = wire.error(error, "req-1");
    JsonNode body = JSON.readTree(response.body());
    return new Answer(
        response.status(),
        body.path("errorName").asText(null),
        body.has("errorMessage") ? body.get("errorMessage").asText() : null);
  }

  @Test
  void error_everyCode_specNameAndStatus() throws Exception {
    // code, status, errorName; SERIALIZATION's message is ours, not the parser's.
    String table =
        """
        VALIDATION 400 ValidationException
        SERIALIZATION 400 ValidationException
        DISABLED 400 InvalidStateException
        KMS_INVALID_STATE 400 InvalidStateException
        INVALID_CIPHERTEXT 400 InvalidCiphertextException
        INVALID_KEY_USAGE 400 InvalidKeyUsageException
        INVALID_SIGNATURE 401 AuthenticationFailedException
        UNRECOGNIZED_CLIENT 401 AuthenticationFailedException
        INCOMPLETE_SIGNATURE 401 AuthenticationFailedException
        MISSING_AUTHENTICATION_TOKEN 401 AuthenticationFailedException
        ACCESS_DENIED 403 AccessDeniedException
        NOT_FOUND 404 KeyNotFoundException
        UNKNOWN_OPERATION 404 InvalidUriPathException
        THROTTLING 429 ThrottlingException
        UNSUPPORTED_OPERATION 501 UnsupportedOperationException
        DEPENDENCY_TIMEOUT 503 DependencyTimeoutException
        """;
    Map<ErrorCode, Answer> expected = new LinkedHashMap<>();
    table
        .lines()
        .map(line -> line.trim().split(" "))
        .forEach(
            f ->
                expected.put(
                    ErrorCode.valueOf(f[0]),
                    new Answer(
                        Integer.parseInt(f[1]), f[2], f[0].equals("SERIALIZATION") ? null : "m")));
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<ErrorCode, Answer> e : expected.entrySet()) {
      Answer actual = answer(e.getKey(), "m");
      Answer want = e.getValue();
      boolean messageOk =
          want.errorMessage() == null
              ? actual.errorMessage() != null
              : "m".equals(actual.errorMessage());
      if (actual.status() != want.status()
          || !want.errorName().equals(actual.errorName())
          || !messageOk) {
        mismatches.add(e.getKey() + " -> " + actual);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void error_serverFault_internalExceptionWithoutDetail() throws Exception {
    Answer internal = answer(ErrorCode.KMS_INTERNAL, "secret detail of a bug");
    assertEquals(500, internal.status());
    assertEquals("InternalException", internal.errorName());
    assertTrue(!internal.errorMessage().contains("secret"), internal.errorMessage());
    assertTrue(internal.errorMessage().contains("req-1"), internal.errorMessage());
  }

  @Test
  void errorMessage_printableAsciiUnder512() throws Exception {
    Answer long_ = answer(ErrorCode.VALIDATION, "é\n\t" + "x".repeat(2000));
    assertTrue(long_.errorMessage().length() < 512, "length " + long_.errorMessage().length());
    assertTrue(
        long_.errorMessage().chars().allMatch(c -> c >= 0x20 && c <= 0x7e), long_.errorMessage());
  }
}
