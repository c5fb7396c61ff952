package dev.keyhaven.kms.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The templates against the AWS CloudFormation resource specification — the property model that
 * cfn-lint and CloudFormation check (the Python cfn-lint and the SAM CLI are not installable on
 * these machines). The specification is version 117.0.0 from the npm package {@code
 * @aws-cdk/cfnspec} 2.72.1, cut down to the types the templates use
 * ({@code src/test/resources/cfn-spec/README.md}); it includes the SAM resource types.
 *
 * <p>Checked for every resource of {@code sam-template.yaml} and {@code infra/database.yaml}: the
 * type exists; every property exists on its type, recursively through nested property types, list
 * and map items, SAM event sources and both branches of {@code Fn::If}; required properties are
 * present (SAM functions' own merged with {@code Globals.Function}); primitive values have the
 * right shape; every {@code Fn::GetAtt} names an attribute of its resource's type.
 */
class CloudFormationSpecTest {
  private static JsonNode spec;

  @BeforeAll
  static void loadSpecification() throws IOException {
    try (InputStream in =
        CloudFormationSpecTest.class.getResourceAsStream(
            "/cfn-spec/resource-specification-subset.json")) {
      spec = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void samTemplate_conformsToTheResourceSpecification() throws IOException {
    assertEquals(List.of(), problems(Path.of("sam-template.yaml")));
  }

  @Test
  void infraDatabase_conformsToTheResourceSpecification() throws IOException {
    assertEquals(List.of(), problems(Path.of("infra/database.yaml")));
  }

  @Test
  void validator_findsWhatIsWrong() {
    // Positive control: an unknown property, a missing required one, a wrong primitive, a bad
    // GetAtt and a nested unknown property are each reported.
    Map<String, Object> template = new LinkedHashMap<>();
    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put(
        "Api",
        Map.of(
            "Type",
            "AWS::ApiGatewayV2::Integration",
            "Properties",
            Map.of(
                "ApiId",
                "x",
                "IntegrationType",
                "AWS_PROXY",
                "PayloadVersion",
                "2.0",
                "TimeoutInMillis",
                "soon")));
    resources.put(
        "Route",
        Map.of(
            "Type",
            "AWS::ApiGatewayV2::Route",
            "Properties",
            Map.of("ApiId", Map.of("Fn::GetAtt", "Api.Nope"))));
    resources.put(
        "Fn",
        Map.of(
            "Type",
            "AWS::Serverless::Function",
            "Properties",
            Map.of(
                "Events",
                Map.of("E", Map.of("Type", "Schedule", "Properties", Map.of("Rate", "x"))))));
    template.put("Resources", resources);
    List<String> found = new Validator(template).problems();
    assertTrue(found.stream().anyMatch(p -> p.contains("Api.PayloadVersion")), found.toString());
    assertTrue(found.stream().anyMatch(p -> p.contains("Api.TimeoutInMillis")), found.toString());
    assertTrue(
        found.stream().anyMatch(p -> p.contains("Route.RouteKey") && p.contains("required")),
        found.toString());
    assertTrue(found.stream().anyMatch(p -> p.contains("Api.Nope")), found.toString());
    assertTrue(
        found.stream().anyMatch(p -> p.contains("Events.E.Properties.Rate")), found.toString());
  }

  private static List<String> problems(Path file) throws IOException {
    return new Validator(CloudFormationYaml.load(file)).problems();
  }

  /** One template's findings, each naming the path of the offending value. */
  private static final class Validator {
    private final Map<String, Object> template;
    private final List<String> problems = new ArrayList<>();

    Validator(Map<String, Object> template) {
      this.template = template;
    }

    List<String> problems() {
      Map<String, Object> globals = globalsFunction();
      JsonNode samFunction = spec.path("ResourceTypes").path("AWS::Serverless::Function");
      if (!globals.isEmpty()) {
        properties(
            "Globals.Function",
            "AWS::Serverless::Function",
            samFunction.path("Properties"),
            globals,
            false);
      }
      Map<String, Object> resources = map(template.get("Resources"));
      resources.forEach(
          (name, value) -> {
            Map<String, Object> resource = map(value);
            String type = String.valueOf(resource.get("Type"));
            if (type.startsWith("Custom::")) {
              return;
            }
            JsonNode resourceSpec = spec.path("ResourceTypes").path(type);
            if (resourceSpec.isMissingNode()) {
              problems.add(name + ": unknown resource type " + type);
              return;
            }
            Map<String, Object> props =
                new LinkedHashMap<>(map(resource.getOrDefault("Properties", Map.of())));
            properties(name, type, resourceSpec.path("Properties"), props, false);
            if (type.equals("AWS::Serverless::Function")) {
              Map<String, Object> merged = new LinkedHashMap<>(globals);
              merged.putAll(props);
              required(name, resourceSpec.path("Properties"), merged);
            } else {
              required(name, resourceSpec.path("Properties"), props);
            }
          });
      attributes(template, resources);
      return problems;
    }

    private void properties(
        String path,
        String owner,
        JsonNode specProps,
        Map<String, Object> values,
        boolean checkRequired) {
      for (Map.Entry<String, Object> e : values.entrySet()) {
        JsonNode p = specProps.path(e.getKey());
        if (p.isMissingNode()) {
          problems.add(path + "." + e.getKey() + ": not a property of " + owner);
          continue;
        }
        value(path + "." + e.getKey(), owner, p, e.getValue());
      }
      if (checkRequired) {
        required(path, specProps, values);
      }
    }

    private void required(String path, JsonNode specProps, Map<String, Object> values) {
      specProps
          .fields()
          .forEachRemaining(
              f -> {
                if (f.getValue().path("Required").asBoolean() && !values.containsKey(f.getKey())) {
                  problems.add(path + "." + f.getKey() + ": required, missing");
                }
              });
    }

    private void value(String path, String owner, JsonNode p, Object value) {
      if (value instanceof Map<?, ?> m && m.size() == 1) {
        String key = String.valueOf(m.keySet().iterator().next());
        if (key.equals("Fn::If")) {
          List<?> branches = (List<?>) m.get(key);
          for (Object branch : branches.subList(1, 3)) {
            if (!(branch instanceof Map<?, ?> b && "AWS::NoValue".equals(b.get("Ref")))) {
              value(path, owner, p, branch);
            }
          }
          return;
        }
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          return;
        }
      }
      String prefix = owner.contains(".") ? owner.substring(0, owner.indexOf('.')) : owner;
      if (p.has("PrimitiveType")) {
        primitive(path, p.get("PrimitiveType").asText(), value);
      } else if ("List".equals(p.path("Type").asText())) {
        if (!(value instanceof List<?> list)) {
          problems.add(path + ": a list expected");
          return;
        }
        for (int i = 0; i < list.size(); i++) {
          item(path + "[" + i + "]", prefix, p, list.get(i));
        }
      } else if ("Map".equals(p.path("Type").asText())) {
        map(value).forEach((k, v) -> item(path + "." + k, prefix, p, v));
      } else if (p.has("Type")) {
        nested(path, prefix + "." + p.get("Type").asText(), value);
      }
      // Polymorphic SAM properties (PrimitiveTypes/Types/ItemTypes): the name was checked.
    }

    private void item(String path, String prefix, JsonNode p, Object item) {
      if (item instanceof Map<?, ?> m && m.size() == 1) {
        String key = String.valueOf(m.keySet().iterator().next());
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          return;
        }
      }
      if (p.has("PrimitiveItemType")) {
        primitive(path, p.get("PrimitiveItemType").asText(), item);
      } else if (p.has("ItemType")) {
        String itemType = prefix + "." + p.get("ItemType").asText();
        if (itemType.equals("AWS::Serverless::Function.EventSource")) {
          event(path, map(item));
        } else {
          nested(path, itemType, item);
        }
      }
    }

    /** A SAM event source: Type, and Properties of the matching {@code <Type>Event} type. */
    private void event(String path, Map<String, Object> source) {
      String type = String.valueOf(source.get("Type"));
      JsonNode eventSpec =
          spec.path("PropertyTypes").path("AWS::Serverless::Function." + type + "Event");
      if (eventSpec.isMissingNode()) {
        problems.add(path + ".Type: unknown SAM event type " + type);
        return;
      }
      properties(
          path + ".Properties",
          "AWS::Serverless::Function." + type + "Event",
          eventSpec.path("Properties"),
          map(source.getOrDefault("Properties", Map.of())),
          true);
    }

    private void nested(String path, String type, Object value) {
      JsonNode typeSpec = spec.path("PropertyTypes").path(type);
      if (typeSpec.isMissingNode()) {
        problems.add(path + ": unknown property type " + type);
      } else if (typeSpec.has("Properties")) {
        if (!(value instanceof Map<?, ?>)) {
          problems.add(path + ": an object of " + type + " expected");
          return;
        }
        properties(path, type, typeSpec.path("Properties"), map(value), true);
      }
    }

    private void primitive(String path, String type, Object value) {
      boolean ok =
          switch (type) {
            case "String" ->
                value instanceof String || value instanceof Number || value instanceof Boolean;
            case "Integer", "Long", "Double" ->
                value instanceof Number
                    || (value instanceof String s && s.matches("-?\\d+(\\.\\d+)?"));
            case "Boolean" ->
                value instanceof Boolean || "true".equals(value) || "false".equals(value);
            case "Json" -> value instanceof Map<?, ?> || value instanceof String;
            default -> true;
          };
      if (!ok) {
        problems.add(path + ": not a " + type + ": " + value);
      }
    }

    /** Every Fn::GetAtt names an attribute of its (non-SAM) resource's type. */
    private void attributes(Object node, Map<String, Object> resources) {
      if (node instanceof Map<?, ?> m) {
        if (m.size() == 1 && m.containsKey("Fn::GetAtt")) {
          String[] target = String.valueOf(m.get("Fn::GetAtt")).split("\\.", 2);
          Object resource = resources.get(target[0]);
          String type = resource == null ? "" : String.valueOf(map(resource).get("Type"));
          JsonNode attrs = spec.path("ResourceTypes").path(type).path("Attributes");
          boolean samArn = type.equals("AWS::Serverless::Function") && target[1].equals("Arn");
          boolean known = false;
          for (JsonNode a : attrs) {
            known |= a.asText().equals(target[1]);
          }
          if (!samArn && !known) {
            problems.add(
                "Fn::GetAtt " + target[0] + "." + target[1] + ": no such attribute of " + type);
          }
        }
        m.values().forEach(v -> attributes(v, resources));
      } else if (node instanceof List<?> list) {
        list.forEach(v -> attributes(v, resources));
      }
    }

    private Map<String, Object> globalsFunction() {
      Object globals = template.get("Globals");
      return globals == null ? Map.of() : map(map(globals).getOrDefault("Function", Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
      return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
  }
}
