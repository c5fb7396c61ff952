package dev.keyhaven.kms.function;

import static dev.keyhaven.kms.function.SamTemplateModel.environment;
import static dev.keyhaven.kms.function.SamTemplateModel.fn;
import static dev.keyhaven.kms.function.SamTemplateModel.globalsFunction;
import static dev.keyhaven.kms.function.SamTemplateModel.properties;
import static dev.keyhaven.kms.function.SamTemplateModel.propertiesOf;
import static dev.keyhaven.kms.function.SamTemplateModel.resourcesOfType;
import static dev.keyhaven.kms.function.SamTemplateModel.section;
import static dev.keyhaven.kms.function.SamTemplateModel.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.config.KmsConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code sam-template.yaml} against the build (no {@code sam validate} here: SAM CLI is not
 * installable on these machines). It parses as YAML with CloudFormation's short-form tags; every
 * Ref/GetAtt/Sub names a parameter, resource or pseudo parameter and every condition exists; the
 * functions' code is the three function builds' zips; the routes send each plane to its function;
 * the handler names exist in the rotation artifact; every environment variable is a setting the
 * build reads; BC-FIPS approved-only mode is set for the JVM and in the native bootstrap.
 */
class SamTemplateTest {
  private static final Set<String> PSEUDO =
      Set.of(
          "AWS::Region",
          "AWS::AccountId",
          "AWS::StackName",
          "AWS::Partition",
          "AWS::URLSuffix",
          "AWS::NoValue",
          "AWS::StackId");
  private static final String FIPS = "-Dorg.bouncycastle.fips.approved_only=true";

  @Test
  void template_isServerlessWithResourcesAndParameters() {
    assertEquals("AWS::Serverless-2016-10-31", template().get("Transform"));
    assertTrue(section("Resources").size() > 10);
  }

  @Test
  void everyReference_namesAParameterResourceOrPseudoParameter() {
    Set<String> known = new TreeSet<>(PSEUDO);
    known.addAll(section("Parameters").keySet());
    known.addAll(section("Resources").keySet());
    List<String> unknown = new ArrayList<>();
    walk(
        template(),
        (fn, arg) -> {
          switch (fn) {
            case "Ref" -> check(known, refTarget((String) arg), unknown);
            case "Fn::GetAtt" -> check(known, String.valueOf(arg).split("\\.")[0], unknown);
            case "Fn::Sub" -> {
              // ${Name}, or ${Name.Attribute} (a GetAtt, or SAM's .Alias/.Version): Name must
              // exist.
              Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(String.valueOf(arg));
              while (m.find()) {
                check(known, m.group(1).split("\\.")[0], unknown);
              }
            }
            default -> {}
          }
        });
    assertEquals(List.of(), unknown);
  }

  @Test
  void everyConditionUsed_isDefined() {
    Set<String> defined = section("Conditions").keySet();
    List<String> undefined = new ArrayList<>();
    walk(
        template(),
        (fn, arg) -> {
          if (fn.equals("Fn::If")) {
            String name = (String) ((List<?>) arg).get(0);
            if (!defined.contains(name)) {
              undefined.add(name);
            }
          }
        });
    section("Resources")
        .values()
        .forEach(
            r -> {
              Object condition = ((Map<?, ?>) r).get("Condition");
              if (condition != null && !defined.contains(condition)) {
                undefined.add((String) condition);
              }
            });
    assertEquals(List.of(), undefined);
  }

  @Test
  void functions_runTheThreeFunctionBuildsZips() {
    Set<String> codeUris = new TreeSet<>();
    for (Map<String, Object> function : resourcesOfType("AWS::Serverless::Function").values()) {
      codeUris.add((String) properties(function).get("CodeUri"));
    }
    Set<String> expected =
        Stream.of(FunctionScope.values())
            .filter(FunctionScope::isLambda)
            .map(f -> "target/lambda-" + f.label() + "/function.zip")
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, codeUris);
  }

  @Test
  void routes_sendEachPlaneToItsFunction() {
    Map<String, String> routes = new TreeMap<>();
    Map<String, Map<String, Object>> resources = resourcesOfType("AWS::ApiGatewayV2::Route");
    for (Map<String, Object> route : resources.values()) {
      String target = (String) fn(properties(route).get("Target"), "Fn::Sub");
      String integration = target.replaceAll(".*\\$\\{(\\w+)}.*", "$1");
      Object uri = propertiesOf(integration).get("IntegrationUri");
      // The integrations invoke the alias "live" (SnapStart snapshots published versions only).
      String alias = String.valueOf(fn(uri, "Ref"));
      assertTrue(alias.endsWith(".Alias"), integration + " invokes " + alias + ", not an alias");
      String function = alias.substring(0, alias.length() - ".Alias".length());
      String codeUri = (String) propertiesOf(function).get("CodeUri");
      routes.put((String) properties(route).get("RouteKey"), codeUri);
    }
    assertEquals(
        Map.of(
            "POST /", "target/lambda-crypto/function.zip",
            "$default", "target/lambda-crypto/function.zip",
            "POST /admin", "target/lambda-admin/function.zip",
            "POST /admin/", "target/lambda-admin/function.zip"),
        routes);
  }

  @Test
  void lambdaHandlerNames_existInTheRotationArtifact() throws IOException {
    Set<String> named = new TreeSet<>();
    try (Stream<Path> sources =
        Files.list(Path.of("src/main/java/dev/keyhaven/kms/function/rotation"))) {
      for (Path source : sources.toList()) {
        Matcher m = Pattern.compile("@Named\\(\"(\\w+)\"\\)").matcher(Files.readString(source));
        while (m.find()) {
          named.add(m.group(1));
        }
      }
    }
    Set<String> used = new TreeSet<>();
    for (Map<String, Object> function : resourcesOfType("AWS::Serverless::Function").values()) {
      Object handler = environment(properties(function)).get("QUARKUS_LAMBDA_HANDLER");
      if (handler != null) {
        assertEquals("target/lambda-rotation/function.zip", properties(function).get("CodeUri"));
        used.add((String) handler);
      }
    }
    assertEquals(Set.of("rotation", "migrate"), used);
    assertTrue(named.containsAll(used), named + " does not hold " + used);
  }

  @Test
  void environment_namesOnlySettingsTheBuildReads() {
    // Framework settings (Quarkus, SmallRye JWT, the JVM, Quarkus' Lambda runtime) the template
    // sets.
    Set<String> framework =
        Set.of(
            "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM",
            "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS",
            "QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM",
            "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE",
            "QUARKUS_LOG_LEVEL",
            "QUARKUS_LAMBDA_HANDLER",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "MP_JWT_VERIFY_ISSUER",
            "MP_JWT_VERIFY_AUDIENCES",
            "JAVA_TOOL_OPTIONS",
            "DISABLE_SIGNAL_HANDLERS");
    Set<String> secrets =
        Set.of("KMS_ROOT_KEY_SECRET", "KMS_DATABASE_SECRET", "KMS_PKCS11_PIN_SECRET");
    List<String> unread = new ArrayList<>();
    List<Map<String, Object>> scopes = new ArrayList<>();
    scopes.add(globalsFunction());
    resourcesOfType("AWS::Serverless::Function").values().forEach(f -> scopes.add(properties(f)));
    for (Map<String, Object> scope : scopes) {
      for (String name : environment(scope).keySet()) {
        boolean read =
            framework.contains(name)
                || secrets.contains(name)
                || (name.startsWith("KMS_") && isKmsConfig(KmsConfig.class, name.substring(4)));
        if (!read) {
          unread.add(name);
        }
      }
    }
    assertEquals(List.of(), unread);
  }

  @Test
  void fipsApprovedOnly_forTheJvmAndInTheNativeBootstrap() throws IOException {
    String jvm = (String) environment(globalsFunction()).get("JAVA_TOOL_OPTIONS");
    assertTrue(jvm.contains(FIPS), jvm);
    String build = Files.readString(Path.of("native-build.sh"));
    assertTrue(build.contains("exec \"$LAMBDA_TASK_ROOT/keyhaven\" " + FIPS), "bootstrap line");
  }

  @Test
  void rotationSchedule_isAParameterDefaultingToHourly() {
    Map<String, Object> rotation = propertiesOf("RotationFunction");
    Map<?, ?> event = (Map<?, ?>) ((Map<?, ?>) rotation.get("Events")).get("Maintenance");
    assertEquals("Schedule", event.get("Type"));
    assertEquals(
        Map.of("Ref", "RotationSchedule"), ((Map<?, ?>) event.get("Properties")).get("Schedule"));
    assertEquals(
        "rate(1 hour)", ((Map<?, ?>) section("Parameters").get("RotationSchedule")).get("Default"));
  }

  // ---- helpers ----

  /**
   * KMS_ENDPOINTS_ADMIN → KmsConfig.endpoints().admin(): a chain of accessors, nested groups
   * allowed.
   */
  private static boolean isKmsConfig(Class<?> group, String rest) {
    for (Method m : group.getDeclaredMethods()) {
      String snake = m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
      boolean nested =
          m.getReturnType().isInterface()
              && m.getReturnType().getEnclosingClass() == KmsConfig.class;
      if (!nested && rest.equals(snake)) {
        return true;
      }
      if (nested
          && rest.startsWith(snake + "_")
          && isKmsConfig(m.getReturnType(), rest.substring(snake.length() + 1))) {
        return true;
      }
    }
    return false;
  }

  private static String refTarget(String ref) {
    // SAM's generated resources: <Function>.Version / <Function>.Alias.
    return ref.endsWith(".Version") || ref.endsWith(".Alias")
        ? ref.substring(0, ref.lastIndexOf('.'))
        : ref;
  }

  private static void check(Set<String> known, String name, List<String> unknown) {
    if (!known.contains(name)) {
      unknown.add(name);
    }
  }

  private interface Visitor {
    void function(String name, Object argument);
  }

  private static void walk(Object node, Visitor visitor) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        String key = String.valueOf(map.keySet().iterator().next());
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          visitor.function(key, map.get(key));
        }
      }
      map.values().forEach(v -> walk(v, visitor));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> walk(v, visitor));
    }
  }
}
