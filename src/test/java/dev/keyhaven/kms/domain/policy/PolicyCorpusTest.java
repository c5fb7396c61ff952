package dev.keyhaven.kms.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Walks the table-driven corpus in {@code src/test/resources/policy-corpus/} (cases written for
 * Keyhaven; format in that directory's README.md) through {@link PolicyDocument#parse} and {@link
 * KmsAuthorizer#decide}, collects every mismatch and fails with all of them. The case counts are
 * pinned so a shrinking corpus fails too.
 */
class PolicyCorpusTest {
  /** File → number of cases it must hold. */
  private static final Map<String, Integer> FILES = new LinkedHashMap<>();

  static {
    FILES.put("principals.json", 42);
    FILES.put("actions-resources.json", 32);
    FILES.put("conditions.json", 140);
    FILES.put("authorization.json", 46);
    FILES.put("malformed.json", 88);
  }

  private static final int TOTAL_CASES = 348;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final String DEFAULT_PRINCIPAL = "arn:aws:iam::111122223333:role/App";
  private static final String DEFAULT_RESOURCE =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void corpus_everyCase_matchesExpectedOutcome() throws IOException {
    List<String> mismatches = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    Set<String> names = new HashSet<>();
    int total = 0;
    for (String file : FILES.keySet()) {
      JsonNode root = load(file);
      JsonNode policies = root.path("policies");
      int n = 0;
      for (JsonNode c : root.get("cases")) {
        n++;
        String name = file + ": " + c.get("name").asText();
        if (!names.add(name)) {
          mismatches.add(name + ": duplicate case name");
        }
        String expected = c.get("expect").asText();
        String actual;
        try {
          actual = run(c, policies);
        } catch (RuntimeException e) {
          actual = "threw " + e;
        }
        if (!expected.equals(actual)) {
          mismatches.add(name + ": expected " + expected + " but was " + actual);
        }
      }
      counts.put(file, n);
      total += n;
    }
    assertTrue(
        mismatches.isEmpty(), mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
    assertEquals(new TreeMap<>(FILES), counts, "cases per file");
    assertEquals(TOTAL_CASES, total, "total corpus cases");
  }

  /** The outcome of one case: allow, deny:<kind> or malformed. */
  private static String run(JsonNode c, JsonNode policies) throws IOException {
    JsonNode req = c.path("request");
    String principal = req.path("principal").asText(DEFAULT_PRINCIPAL);
    String account =
        Principal.parse(principal)
            .map(Principal::accountId)
            .orElse(req.path("account").asText("111122223333"));
    String action = req.path("action").asText("kms:Encrypt");
    String resource = req.path("resource").asText(DEFAULT_RESOURCE);
    Map<String, List<String>> conditions = new LinkedHashMap<>();
    req.path("conditions")
        .fields()
        .forEachRemaining(
            e -> {
              List<String> values = new ArrayList<>();
              if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
              } else {
                values.add(e.getValue().asText());
              }
              conditions.put(e.getKey(), values);
            });
    AuthorizationRequest request =
        new AuthorizationRequest(principal, account, action, resource, conditions);

    PolicyDocument keyPolicy;
    List<PolicyDocument> identity = new ArrayList<>();
    try {
      keyPolicy = keyPolicy(c, policies);
      for (JsonNode p : c.path("identityPolicies")) {
        identity.add(PolicyDocument.parse(text(p, policies), PolicyDocument.Kind.IDENTITY_POLICY));
      }
    } catch (KmsException e) {
      if (e.code() != ErrorCode.MALFORMED_POLICY_DOCUMENT) {
        return "threw " + e.code();
      }
      String wanted = c.path("message").asText("");
      return e.getMessage().contains(wanted)
          ? "malformed"
          : "malformed with message: " + e.getMessage();
    }
    KmsAuthorizer.Decision d =
        KmsAuthorizer.decide(request, keyPolicy, identity, c.path("grant").asBoolean(false));
    if (d.allowed()) {
      return d.denialMessage() == null ? "allow" : "allow with a message";
    }
    String prefix =
        "User: "
            + principal
            + " is not authorized to perform: "
            + action
            + " on resource: "
            + resource
            + " ";
    String m = d.denialMessage();
    if (m == null || !m.startsWith(prefix)) {
      return "deny with unexpected message: " + m;
    }
    return switch (m.substring(prefix.length())) {
      case "with an explicit deny in a resource-based policy" -> "deny:explicit-resource";
      case "with an explicit deny in an identity-based policy" -> "deny:explicit-identity";
      default ->
          m.equals(prefix + "because no resource-based policy allows the " + action + " action")
              ? "deny:no-resource"
              : m.equals(
                      prefix + "because no identity-based policy allows the " + action + " action")
                  ? "deny:no-identity"
                  : "deny with unexpected message: " + m;
    };
  }

  private static PolicyDocument keyPolicy(JsonNode c, JsonNode policies) throws IOException {
    if (c.has(
        "condition")) { // shorthand: the caller's role allowed kms:* with this Condition block
      String statement =
          "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
              + DEFAULT_PRINCIPAL
              + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":"
              + JSON.writeValueAsString(c.get("condition"))
              + "}";
      return PolicyDocument.parse(
          "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}",
          PolicyDocument.Kind.KEY_POLICY);
    }
    JsonNode p = c.get("keyPolicy");
    return p == null || p.isNull()
        ? null
        : PolicyDocument.parse(text(p, policies), PolicyDocument.Kind.KEY_POLICY);
  }

  /** A policy given as a name from "policies", an object, or {"text": raw JSON text}. */
  private static String text(JsonNode p, JsonNode policies) throws IOException {
    if (p.isTextual()) {
      JsonNode named = policies.get(p.asText());
      if (named == null) {
        throw new IllegalArgumentException("unknown policy name " + p.asText());
      }
      return text(named, policies);
    }
    if (p.isObject() && p.size() == 1 && p.has("text")) {
      return p.get("text").asText();
    }
    return JSON.writeValueAsString(p);
  }

  private static JsonNode load(String file) throws IOException {
    try (InputStream in = PolicyCorpusTest.class.getResourceAsStream("/policy-corpus/" + file)) {
      if (in == null) {
        throw new IOException("missing corpus file " + file);
      }
      return JSON.readTree(in);
    }
  }
}
