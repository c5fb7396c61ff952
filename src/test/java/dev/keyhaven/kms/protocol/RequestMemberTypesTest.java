package dev.keyhaven.kms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keyhaven.kms.domain.key.KeyReference;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every member of every operation's request, sent with each JSON type it does not have, is refused
 * by the codec — a SerializationException for the caller, never a coerced value or a 500
 * (docs/reliability.md, scenario 6, "wrong types for every member"). Collects every accepted case
 * before asserting, so one run lists them all.
 */
class RequestMemberTypesTest {
  private static final List<String> NOT_STRING = List.of("5", "1.5", "true", "[]", "{}");
  private static final List<String> NOT_NUMBER = List.of("\"5\"", "true", "[]", "{}");
  private static final List<String> NOT_INTEGER = List.of("\"5\"", "1.5", "true", "[]", "{}");
  private static final List<String> NOT_BOOLEAN = List.of("\"true\"", "1", "[]", "{}");
  private static final List<String> NOT_LIST = List.of("\"x\"", "5", "true", "{}");
  private static final List<String> NOT_OBJECT = List.of("\"x\"", "5", "true", "[]");
  private static final List<String> NOT_BLOB = List.of("5", "true", "[]", "[104,105]", "{}");

  private final JsonCodec codec = new JsonCodec();

  @Test
  void everyMember_wrongJsonType_isSerializationException() {
    List<String> accepted = new ArrayList<>();
    int checked = 0;
    for (Class<?> type : RequestTypes.all()) {
      for (RecordComponent member : type.getRecordComponents()) {
        String name =
            Character.toUpperCase(member.getName().charAt(0)) + member.getName().substring(1);
        for (String value : wrongValues(member.getType())) {
          String body = "{\"" + name + "\":" + value + "}";
          checked++;
          try {
            codec.read(body.getBytes(StandardCharsets.UTF_8), type);
            accepted.add(type.getName() + " " + body);
          } catch (JsonProcessingException expected) {
            // refused, as it must be
          } catch (Exception other) {
            accepted.add(type.getName() + " " + body + " threw " + other);
          }
        }
      }
    }
    assertEquals(List.of(), accepted);
    assertTrue(checked > 500, "members checked: " + checked);
  }

  private static List<String> wrongValues(Class<?> javaType) {
    if (javaType == String.class || javaType == KeyReference.class || javaType.isEnum()) {
      return NOT_STRING;
    }
    if (javaType == byte[].class) {
      return NOT_BLOB;
    }
    if (javaType == Integer.class
        || javaType == int.class
        || javaType == Long.class
        || javaType == long.class) {
      return NOT_INTEGER;
    }
    if (Number.class.isAssignableFrom(javaType)) {
      return NOT_NUMBER;
    }
    if (javaType == Boolean.class || javaType == boolean.class) {
      return NOT_BOOLEAN;
    }
    if (List.class.isAssignableFrom(javaType)) {
      return NOT_LIST;
    }
    if (Map.class.isAssignableFrom(javaType) || javaType.isRecord()) {
      return NOT_OBJECT;
    }
    throw new IllegalStateException("no wrong values for member type " + javaType);
  }
}
