package dev.keyhaven.kms.function;

import static dev.keyhaven.kms.function.SamTemplateModel.fn;
import static dev.keyhaven.kms.function.SamTemplateModel.properties;
import static dev.keyhaven.kms.function.SamTemplateModel.propertiesOf;
import static dev.keyhaven.kms.function.SamTemplateModel.resourcesOfType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyhaven.kms.domain.key.KmsAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The single endpoint (docs/serverless.md, "One endpoint"): the CloudFront Function that ships in
 * {@code sam-template.yaml} is the build's output from {@code KmsAction} ({@code
 * src/build/FrontRouter.java} writes {@code target/front/kms-router.js} in process-classes), and
 * running that very code — under Node.js, as JavaScript — sends every action to the function of its
 * plane through the template's own routes, and anything else to the crypto function.
 */
class FrontRouterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String shipped;

  @BeforeAll
  static void load() {
    shipped = (String) propertiesOf("FrontRouter").get("FunctionCode");
  }

  @Test
  void templatesFunctionCode_isTheBuildsOutputFromKmsAction() throws Exception {
    Path classes =
        Path.of(KmsAction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path generated = classes.resolveSibling("front").resolve("kms-router.js");
    assertTrue(
        Files.isRegularFile(generated),
        generated + " is missing: build with ./mvnw process-classes");
    assertEquals(
        Files.readString(generated),
        shipped,
        "sam-template.yaml's FrontRouter code is not KmsAction's current routing: run ./kms front-router");
  }

  @Test
  void everyAction_reachesTheFunctionOfItsPlane_unknownTargetsTheCryptoFunction() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    for (KmsAction action : KmsAction.values()) {
      expected.put(
          action.target(),
          action.plane() == KmsAction.Plane.ADMIN ? "AdminFunction" : "CryptoFunction");
    }
    // Not an action: the crypto function answers UnknownOperationException (CryptoFunctionTest).
    for (String unknown :
        List.of(
            "TrentService.NoSuchAction",
            "",
            "trentservice.createkey",
            "TrentService.CreateKey ",
            "KeyhavenAdmin.Encrypt",
            "TrentService.",
            "hasOwnProperty",
            "__proto__",
            "constructor",
            "TrentService.constructor",
            "TrentService.CreateKey,TrentService.Encrypt")) {
      expected.put(unknown, "CryptoFunction");
    }
    List<String> targets = new ArrayList<>(expected.keySet());
    targets.add(null); // no X-Amz-Target header at all
    JsonNode routed = runShippedCode(targets, "/");
    Map<String, String> actual = new LinkedHashMap<>();
    for (int i = 0; i < targets.size() - 1; i++) {
      actual.put(targets.get(i), functionFor("POST", routed.get(i).get("uri").asText()));
    }
    assertEquals(expected, actual);
    assertEquals(
        "CryptoFunction", functionFor("POST", routed.get(targets.size() - 1).get("uri").asText()));
    // Every request carries what its client signed, whatever the client put in those headers.
    for (JsonNode r : routed) {
      assertEquals("kms.example.net", r.get("viewerHost").asText());
      assertEquals("/", r.get("viewerUri").asText());
    }
  }

  @Test
  void otherPaths_areLeftAsTheyAre() throws Exception {
    // The HTTP API's own paths keep working through the front: /admin stays admin, and a crypto
    // action sent to /admin is the admin function's to refuse (naming the crypto function).
    JsonNode routed =
        runShippedCode(List.of("TrentService.Encrypt", "TrentService.CreateKey"), "/admin");
    assertEquals("/admin", routed.get(0).get("uri").asText());
    assertEquals("/admin", routed.get(1).get("uri").asText());
    assertEquals("/admin", routed.get(0).get("viewerUri").asText());
  }

  @Test
  void distribution_runsTheRouterOnEveryViewerRequest_andForwardsEverythingButHost() {
    Map<?, ?> config = (Map<?, ?>) propertiesOf("FrontDistribution").get("DistributionConfig");
    Map<?, ?> behavior = (Map<?, ?>) config.get("DefaultCacheBehavior");
    assertEquals(
        List.of(
            Map.of(
                "EventType",
                "viewer-request",
                "FunctionARN",
                Map.of("Fn::GetAtt", "FrontRouter.FunctionMetadata.FunctionARN"))),
        behavior.get("FunctionAssociations"));
    assertTrue(((List<?>) behavior.get("AllowedMethods")).contains("POST"));
    // AWS managed policies: CachingDisabled, AllViewerExceptHostHeader.
    assertEquals("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", behavior.get("CachePolicyId"));
    assertEquals("b689b0a8-53d0-40ab-baf2-68738e2966ac", behavior.get("OriginRequestPolicyId"));
    Map<?, ?> origin = (Map<?, ?>) ((List<?>) config.get("Origins")).get(0);
    assertEquals(behavior.get("TargetOriginId"), origin.get("Id"));
    assertEquals(
        Map.of("Fn::Sub", "${KmsHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"),
        origin.get("DomainName"));
    assertEquals(
        "cloudfront-js-2.0",
        ((Map<?, ?>) propertiesOf("FrontRouter").get("FunctionConfig")).get("Runtime"));
  }

  // ---- helpers ----

  /**
   * Runs the template's FunctionCode in a fresh Node.js context with one CloudFront viewer-request
   * event per target (null = no X-Amz-Target header), each also carrying forged viewer headers.
   */
  private static JsonNode runShippedCode(List<String> targets, String uri) throws Exception {
    Path dir = Files.createTempDirectory("front-router");
    try {
      Path code = Files.writeString(dir.resolve("router.js"), shipped);
      ArrayNode events = JSON.createArrayNode();
      for (String target : targets) {
        ObjectNode headers = JSON.createObjectNode();
        headers.putObject("host").put("value", "kms.example.net");
        headers.putObject("x-keyhaven-viewer-host").put("value", "forged.example");
        headers.putObject("x-keyhaven-viewer-uri").put("value", "/forged");
        if (target != null) {
          headers.putObject("x-amz-target").put("value", target);
        }
        ObjectNode event = events.addObject();
        event.put("version", "1.0");
        event.putObject("context").put("eventType", "viewer-request");
        event.putObject("viewer").put("ip", "192.0.2.1");
        ObjectNode request = event.putObject("request");
        request.put("method", "POST");
        request.put("uri", uri);
        request.putObject("querystring");
        request.set("headers", headers);
        request.putObject("cookies");
      }
      Path input = Files.writeString(dir.resolve("events.json"), events.toString());
      Path harness =
          Files.writeString(
              dir.resolve("harness.js"),
              String.join(
                  "\n",
                  "const fs = require('fs'), vm = require('vm');",
                  "const context = vm.createContext({});",
                  "vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), context);",
                  "const out = JSON.parse(fs.readFileSync(process.argv[3], 'utf8')).map(e => {",
                  "  const r = context.handler(e);",
                  "  return {uri: r.uri, viewerHost: r.headers['x-keyhaven-viewer-host'].value,",
                  "          viewerUri: r.headers['x-keyhaven-viewer-uri'].value};",
                  "});",
                  "process.stdout.write(JSON.stringify(out));"));
      Process node =
          new ProcessBuilder("node", harness.toString(), code.toString(), input.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
      assertEquals(0, node.exitValue(), "node (Node.js 18+ is needed by this test): " + output);
      JsonNode result = JSON.readTree(output);
      assertEquals(targets.size(), result.size());
      return result;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /**
   * The function the HTTP API invokes for {@code method path}: its route, else {@code $default}.
   */
  private static String functionFor(String method, String path) {
    Map<String, String> byRouteKey = new LinkedHashMap<>();
    for (Map<String, Object> route : resourcesOfType("AWS::ApiGatewayV2::Route").values()) {
      Map<String, Object> p = properties(route);
      String integration =
          String.valueOf(fn(p.get("Target"), "Fn::Sub")).replaceAll(".*\\$\\{(\\w+)}.*", "$1");
      String alias = String.valueOf(fn(propertiesOf(integration).get("IntegrationUri"), "Ref"));
      byRouteKey.put((String) p.get("RouteKey"), alias.substring(0, alias.indexOf('.')));
    }
    return byRouteKey.getOrDefault(method + " " + path, byRouteKey.get("$default"));
  }
}
