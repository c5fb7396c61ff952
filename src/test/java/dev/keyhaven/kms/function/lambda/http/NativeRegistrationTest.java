package dev.keyhaven.kms.function.lambda.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.OperationDeclaration;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Native readiness of an API function's wire records: the reflection configuration that the build
 * writes into the artifact ({@code META-INF/native-image/.../reflect-config.json}, see
 * src/build/ReflectionConfig.java) registers every request and response record of every operation
 * this function serves, and every record nested in them — what {@code JsonCodec} and {@code
 * AuditParameters} reach reflectively — and nothing of the other plane's package. And the function
 * serves exactly its plane's actions.
 */
@QuarkusTest
class NativeRegistrationTest {
  private static final String CONFIG =
      "META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json";

  @Inject @Any Instance<KmsOperation<?, ?>> operations;

  @Test
  void everyWireRecordOfEveryServedOperation_isRegisteredForReflection() throws Exception {
    Set<String> registered = new HashSet<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(CONFIG)) {
      for (JsonNode entry : new ObjectMapper().readTree(in)) {
        registered.add(entry.get("name").asText());
        assertTrue(entry.get("allDeclaredConstructors").asBoolean(), entry.toString());
        assertTrue(entry.get("allDeclaredMethods").asBoolean(), entry.toString());
      }
    }
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (KmsOperation<?, ?> operation : operations) {
      for (Class<?> record : wireRecords(operation)) {
        checked++;
        if (!registered.contains(record.getName())) {
          missing.add(record.getName());
        }
      }
    }
    assertTrue(checked > 0);
    assertEquals(List.of(), missing);
    String otherPlane =
        "dev.keyhaven.kms.operation."
            + (FunctionScope.current() == FunctionScope.CRYPTO ? "admin." : "crypto.");
    assertEquals(List.of(), registered.stream().filter(n -> n.startsWith(otherPlane)).toList());
  }

  @Test
  void servedActions_areExactlyThisFunctionsPlane() {
    Set<KmsAction> served = new HashSet<>();
    operations.forEach(o -> served.add(OperationDeclaration.of(o).action()));
    Set<KmsAction> expected = new HashSet<>();
    for (KmsAction action : KmsAction.values()) {
      // Authorization-only actions (ReEncryptFrom/To) have no operation of their own.
      if (FunctionScope.current().serves(action) && !action.wireName().startsWith("ReEncrypt")) {
        expected.add(action);
      }
    }
    if (FunctionScope.current() == FunctionScope.CRYPTO) {
      expected.add(KmsAction.RE_ENCRYPT);
    }
    assertEquals(expected, served);
  }

  /**
   * The request record, the response record, and the records reachable through their components.
   */
  private static Set<Class<?>> wireRecords(KmsOperation<?, ?> operation) {
    Set<Class<?>> out = new HashSet<>();
    collect(OperationDeclaration.of(operation).requestType(), out);
    Class<?> bean = operation.getClass();
    while (bean != null && bean.getName().contains("_Subclass")) {
      bean = bean.getSuperclass();
    }
    for (Class<?> c = bean; c != null; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p && p.getRawType() == KmsOperation.class) {
          collect(p.getActualTypeArguments()[1], out);
        }
      }
    }
    return out;
  }

  private static void collect(Type type, Set<Class<?>> out) {
    if (type instanceof ParameterizedType p) {
      for (Type argument : p.getActualTypeArguments()) {
        collect(argument, out);
      }
      return;
    }
    if (type instanceof Class<?> c && c.isRecord() && out.add(c)) {
      for (RecordComponent component : c.getRecordComponents()) {
        collect(component.getGenericType(), out);
      }
    }
  }
}
