package dev.keyhaven.kms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target: the request parser (docs/reliability.md, section 7). The first input byte picks one
 * of the operations' request records (every {@code operation.*$Request}, sorted by name), the rest
 * is the HTTP body. Contract: the body decodes into that record, or the failure is a
 * JsonProcessingException that {@link ErrorMapper} answers with 400 SerializationException — never
 * another exception, which the dispatcher would answer with 500. Without JAZZER_FUZZ it replays the
 * corpus in src/test/resources/.../RequestCodecFuzzTestInputs.
 */
class RequestCodecFuzzTest {
  private static final List<Class<?>> REQUEST_TYPES = RequestTypes.all();
  private static final JsonCodec CODEC = new JsonCodec();

  @FuzzTest(maxDuration = "25s")
  void read_anyBody_requestOrSerializationException(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    Class<?> type = REQUEST_TYPES.get(Byte.toUnsignedInt(input[0]) % REQUEST_TYPES.size());
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    try {
      assertTrue(type.isInstance(CODEC.read(body, type)));
    } catch (JsonProcessingException e) {
      assertEquals(ErrorCode.SERIALIZATION, ErrorMapper.toKmsException(e, "fuzz").code());
    } catch (KmsException e) {
      // a member value over the longest AWS member (JsonCodec.MAX_STRING_LENGTH)
      assertEquals(ErrorCode.VALIDATION, e.code());
    }
  }
}
