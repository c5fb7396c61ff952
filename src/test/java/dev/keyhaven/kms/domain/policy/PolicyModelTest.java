package dev.keyhaven.kms.domain.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

// The public model (statements, request normalisation, evaluation flags) and the value parsers.
class PolicyModelTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ROLE = "arn:aws:iam::111122223333:role/App";

  private static AuthorizationRequest request(String principal, String action) {
    return new AuthorizationRequest(principal, "111122223333", action, KEY, Map.of());
  }

  @Test
  void defaultKeyPolicy_parsed_delegatesToTheAccountOnly() {
    PolicyDocument p =
        PolicyDocument.parse(
            DefaultKeyPolicy.forAccount("aws", "111122223333"), PolicyDocument.Kind.KEY_POLICY);
    assertEquals(
        new Evaluation(false, false, true),
        PolicyEvaluator.evaluate(p, request(ROLE, "kms:Encrypt")));
    assertEquals(
        new Evaluation(false, false, false),
        PolicyEvaluator.evaluate(
            p,
            new AuthorizationRequest(
                "arn:aws:iam::444455556666:root", "444455556666", "kms:Encrypt", KEY, Map.of())));
  }

  @Test
  void statements_parsedDocument_exposeElementsAsWritten() {
    PolicyDocument p =
        PolicyDocument.parse(
            "{\"Statement\":{\"Sid\":\"S1\",\"Effect\":\"Deny\","
                + "\"NotPrincipal\":{\"AWS\":[\""
                + ROLE
                + "\",\"111122223333\"]},\"NotAction\":\"KMS:Decrypt\","
                + "\"Resource\":[\"*\"],\"Condition\":{\"ForAnyValue:StringLikeIfExists\":{\"KMS:ViaService\":[\"a\",1,true]}}}}",
            PolicyDocument.Kind.KEY_POLICY);
    assertEquals(PolicyDocument.Kind.KEY_POLICY, p.kind());
    Statement s = p.statements().get(0);
    assertEquals("S1", s.sid());
    assertEquals(Statement.Effect.DENY, s.effect());
    assertTrue(s.notPrincipal());
    assertEquals(Map.of("AWS", List.of(ROLE, "111122223333")), s.principals());
    assertTrue(s.notAction());
    assertEquals(List.of("kms:decrypt"), s.actions());
    assertFalse(s.notResource());
    assertEquals(List.of("*"), s.resources());
    Condition c = s.conditions().get(0);
    assertEquals("ForAnyValue:StringLikeIfExists", c.operator());
    assertEquals("kms:viaservice", c.key());
    assertEquals(List.of("a", "1", "true"), c.values());
    assertThrows(UnsupportedOperationException.class, () -> p.statements().clear());
  }

  @Test
  void evaluate_statementNamingRoleAndAccount_setsBothFlags() {
    PolicyDocument p =
        PolicyDocument.parse(
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + ROLE
                + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}",
            PolicyDocument.Kind.KEY_POLICY);
    assertEquals(
        new Evaluation(false, true, true),
        PolicyEvaluator.evaluate(p, request(ROLE, "kms:Encrypt")));
    assertEquals(
        new Evaluation(true, true, true),
        PolicyEvaluator.evaluate(p, request(ROLE, "kms:decrypt")));
  }

  @Test
  void evaluate_identityPolicyAllow_isDirect() {
    PolicyDocument p =
        PolicyDocument.parse(
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}",
            PolicyDocument.Kind.IDENTITY_POLICY);
    assertEquals(
        new Evaluation(false, true, false),
        PolicyEvaluator.evaluate(p, request(ROLE, "kms:Encrypt")));
  }

  @Test
  void authorizationRequest_keysDifferingInCase_areMergedAndLowerCased() {
    Map<String, List<String>> in = new LinkedHashMap<>();
    in.put("kms:EncryptionContextKeys", List.of("A"));
    in.put("KMS:ENCRYPTIONCONTEXTKEYS", List.of("B"));
    in.put("aws:SourceIp", null);
    AuthorizationRequest r = new AuthorizationRequest(ROLE, "111122223333", "kms:Encrypt", KEY, in);
    assertEquals(
        List.of("A", "B"),
        r.conditionValues().get("kms:encryptioncontextkeys").stream().sorted().toList());
    assertEquals(List.of(), r.conditionValues().get("aws:sourceip"));
    assertEquals(
        Map.of(), new AuthorizationRequest(ROLE, "111122223333", "a", "*", null).conditionValues());
    assertThrows(
        NullPointerException.class, () -> new AuthorizationRequest(null, "1", "a", "*", Map.of()));
  }

  @Test
  void decide_denial_hasAwsMessageAndAllowHasNone() {
    PolicyDocument p =
        PolicyDocument.parse(
            DefaultKeyPolicy.forAccount("aws", "111122223333"), PolicyDocument.Kind.KEY_POLICY);
    KmsAuthorizer.Decision d =
        KmsAuthorizer.decide(request(ROLE, "kms:Encrypt"), p, List.of(), false);
    assertEquals(
        "User: "
            + ROLE
            + " is not authorized to perform: kms:Encrypt on resource: "
            + KEY
            + " because no identity-based policy allows the kms:Encrypt action",
        d.denialMessage());
    assertNull(
        KmsAuthorizer.decide(
                request("arn:aws:iam::111122223333:root", "kms:Encrypt"), p, null, false)
            .denialMessage());
  }

  // Issue 16, items 1-2: another account's key that does not admit the caller is denied with
  // what the caller's side alone decides, the answer a key that does not exist gets.
  @Test
  void keyPolicyAdmits_onlyAnAllowNamingTheCallerWithoutDeny() {
    String stranger = "arn:aws:iam::444455556666:root";
    AuthorizationRequest r =
        new AuthorizationRequest(stranger, "444455556666", "kms:Encrypt", KEY, Map.of());
    PolicyDocument ownerOnly =
        PolicyDocument.parse(
            DefaultKeyPolicy.forAccount("aws", "111122223333"), PolicyDocument.Kind.KEY_POLICY);
    PolicyDocument shared =
        PolicyDocument.parse(
            DefaultKeyPolicy.forAccount("aws", "444455556666"), PolicyDocument.Kind.KEY_POLICY);
    PolicyDocument denyAll =
        PolicyDocument.parse(
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
            PolicyDocument.Kind.KEY_POLICY);
    assertFalse(KmsAuthorizer.keyPolicyAdmits(r, ownerOnly));
    assertTrue(KmsAuthorizer.keyPolicyAdmits(r, shared));
    assertFalse(KmsAuthorizer.keyPolicyAdmits(r, denyAll));
  }

  @Test
  void denyWithoutKey_identityDenyElseNoResourcePolicy_namingTheResourceAsSent() {
    String alias = "arn:aws:kms:us-east-1:111122223333:alias/prod-db";
    AuthorizationRequest r =
        new AuthorizationRequest(ROLE, "444455556666", "kms:Encrypt", alias, Map.of());
    PolicyDocument deny =
        PolicyDocument.parse(
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
            PolicyDocument.Kind.IDENTITY_POLICY);
    assertEquals(
        "User: "
            + ROLE
            + " is not authorized to perform: kms:Encrypt on resource: "
            + alias
            + " with an explicit deny in an identity-based policy",
        KmsAuthorizer.denyWithoutKey(r, List.of(deny)).denialMessage());
    assertEquals(
        "User: "
            + ROLE
            + " is not authorized to perform: kms:Encrypt on resource: "
            + alias
            + " because no resource-based policy allows the kms:Encrypt action",
        KmsAuthorizer.denyWithoutKey(r, null).denialMessage());
    assertFalse(KmsAuthorizer.denyWithoutKey(r, List.of()).allowed());
  }

  // Issue 16, item 8: the partition is part of a principal's identity.
  @Test
  void principal_ofAnotherPartition_neverMatchesAnAwsCaller() {
    String cnRoot =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws-cn:iam::111122223333:root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    PolicyDocument cn = PolicyDocument.parse(cnRoot, PolicyDocument.Kind.KEY_POLICY);
    assertEquals(
        new Evaluation(false, false, false),
        PolicyEvaluator.evaluate(cn, request(ROLE, "kms:Encrypt")));
    assertEquals(
        new Evaluation(false, false, false),
        PolicyEvaluator.evaluate(cn, request("arn:aws:iam::111122223333:root", "kms:Encrypt")));
    assertEquals(
        new Evaluation(false, false, true),
        PolicyEvaluator.evaluate(
            cn, request("arn:aws-cn:iam::111122223333:role/App", "kms:Encrypt")));
    PolicyDocument aws =
        PolicyDocument.parse(
            DefaultKeyPolicy.forAccount("aws", "111122223333"), PolicyDocument.Kind.KEY_POLICY);
    assertEquals(
        new Evaluation(false, false, false),
        PolicyEvaluator.evaluate(
            aws, request("arn:aws-us-gov:iam::111122223333:role/App", "kms:Encrypt")));
    assertEquals(
        java.util.Optional.empty(),
        Principal.parse("arn:aws-cn:iam::111122223333:root", "aws").map(Principal::accountId));
    assertEquals(
        java.util.Optional.of("111122223333"),
        Principal.parse("arn:aws:iam::111122223333:root", "aws").map(Principal::accountId));
  }

  @Test
  void ipCidr_ipv6Forms_parse() {
    assertArrayEquals(new byte[16], IpCidr.address("::"));
    assertNotNull(IpCidr.address("2001:db8:0:0:0:0:0:1"));
    assertArrayEquals(IpCidr.address("2001:db8::1"), IpCidr.address("2001:DB8:0:0::0:1"));
    assertArrayEquals(IpCidr.address("::ffff:c000:0209"), IpCidr.address("::ffff:192.0.2.9"));
    for (String bad :
        List.of(
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "12345::",
            ":1",
            "1.2.3",
            "01.2.3.4",
            "1.2.3.4/",
            "1.2.3.4/033",
            "::/129",
            "\u0661.2.3.4")) {
      assertNull(IpCidr.parse(bad), bad);
    }
    assertTrue(IpCidr.parse("2001:db8::/32").contains(IpCidr.address("2001:db8:ffff::1")));
    assertFalse(IpCidr.parse("10.0.0.1/8").contains(IpCidr.address("11.0.0.1")));
  }

  @Test
  void date_formats_parseToTheSameInstant() {
    Instant t = Instant.parse("2025-06-01T12:00:00Z");
    for (String v :
        List.of(
            "2025-06-01T12:00:00Z",
            "2025-06-01T12:00Z",
            "2025-06-01T12:00:00.000Z",
            "2025-06-01T14:00:00+02:00",
            "2025-06-01T12:00:00",
            "1748779200")) {
      assertEquals(t, ConditionOperator.date(v), v);
    }
    assertEquals(Instant.parse("2025-06-01T00:00:00Z"), ConditionOperator.date("2025-06-01"));
    assertNull(ConditionOperator.date("2025-13-01"));
    assertNull(ConditionOperator.date(""));
  }

  @Test
  void wildcards_glob_matchesWholeValue() {
    assertTrue(Wildcards.matches("a*b?c", "aXXbYc", false));
    assertFalse(Wildcards.matches("a*b?c", "aXXbYcd", false));
    assertTrue(Wildcards.matches("*", "", false));
    assertTrue(Wildcards.matches("kms:generate*", "kms:GenerateDataKey".toLowerCase(), false));
    assertTrue(Wildcards.matches("AB", "ab", true));
    assertFalse(Wildcards.matches("a".repeat(30) + "*b", "a".repeat(5000), false));
  }
}
