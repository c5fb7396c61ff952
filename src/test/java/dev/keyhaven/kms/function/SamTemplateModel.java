package dev.keyhaven.kms.function;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sam-template.yaml} as parsed by {@link CloudFormationYaml}, and ways into it for tests.
 */
final class SamTemplateModel {
  static final Path TEMPLATE = Path.of("sam-template.yaml");
  private static Map<String, Object> template;

  private SamTemplateModel() {}

  static synchronized Map<String, Object> template() {
    if (template == null) {
      try {
        template = CloudFormationYaml.load(TEMPLATE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return template;
  }

  /**
   * The argument of intrinsic function {@code name} ({@code Ref}, {@code Fn::Sub}…) if {@code node}
   * is one.
   */
  static Object fn(Object node, String name) {
    return node instanceof Map<?, ?> m ? m.get(name) : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> section(String name) {
    return (Map<String, Object>) template().getOrDefault(name, Map.of());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> resourcesOfType(String type) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    section("Resources")
        .forEach(
            (k, v) -> {
              if (type.equals(((Map<?, ?>) v).get("Type"))) {
                out.put(k, (Map<String, Object>) v);
              }
            });
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Object resource) {
    return (Map<String, Object>) ((Map<?, ?>) resource).get("Properties");
  }

  /** The properties of the resource named {@code logicalId}. */
  static Map<String, Object> propertiesOf(String logicalId) {
    return properties(section("Resources").get(logicalId));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> globalsFunction() {
    return (Map<String, Object>) ((Map<?, ?>) template().get("Globals")).get("Function");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> environment(Map<String, Object> functionProperties) {
    Map<?, ?> env = (Map<?, ?>) functionProperties.get("Environment");
    return env == null ? Map.of() : (Map<String, Object>) env.get("Variables");
  }
}
