package dev.keyhaven.kms.domain.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random but valid key and identity policies, and random requests, over a small vocabulary so that
 * statements and requests actually meet (same principals, actions, keys and condition keys). Plain
 * {@link Random}: the property tests feed it a seed, so any engine can drive it.
 */
final class RandomPolicies {
  static final String A = "111122223333";
  static final String B = "444455556666";
  static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CALLERS = {
    "arn:aws:iam::111122223333:role/App", "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:user/alice", "arn:aws:sts::111122223333:assumed-role/App/s1",
    "arn:aws:iam::444455556666:role/Partner", "arn:aws:iam::444455556666:root",
    "arn:aws:sts::444455556666:assumed-role/Partner/x"
  };
  private static final String[] PRINCIPAL_VALUES = {
    "*",
    A,
    B,
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::111122223333:role/App",
    "arn:aws:iam::111122223333:role/team/App",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/App/s1",
    "arn:aws:iam::444455556666:role/Partner"
  };
  private static final String[] ACTIONS = {
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "kms:DescribeKey",
    "kms:CreateKey",
    "kms:ListKeys",
    "kms:ScheduleKeyDeletion",
    "kms:PutKeyPolicy"
  };
  private static final String[] ACTION_PATTERNS = {
    "kms:*",
    "*",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:Generate*",
    "kms:?ncrypt",
    "kms:Describe*",
    "KMS:CREATEKEY",
    "kms:List*",
    "s3:*"
  };
  private static final String[] RESOURCES = {
    KEY,
    "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
    "arn:aws:kms:us-west-2:444455556666:key/5555aaaa-12ab-34cd-56ef-1234567890ab",
    "*"
  };
  private static final String[] RESOURCE_PATTERNS = {
    "*",
    KEY,
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:kms:us-east-1:*:*",
    "arn:aws:kms:*:*:key/0987*"
  };
  private static final String[] OPERATORS = {
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnNotEquals",
    "ArnLike",
    "ArnNotLike",
    "Null"
  };

  /** Condition key → candidate values, mixing valid values of several types with junk. */
  private static final Map<String, String[]> CONTEXT = new LinkedHashMap<>();

  static {
    CONTEXT.put("kms:EncryptionContext:Department", new String[] {"IT", "it", "HR", "*", "I?"});
    CONTEXT.put("kms:EncryptionContextKeys", new String[] {"Department", "Project", "Secret"});
    CONTEXT.put("kms:ViaService", new String[] {"ec2.us-east-1.amazonaws.com", "ec2.*", "s3.x"});
    CONTEXT.put("kms:RotationPeriodInDays", new String[] {"90", "365", "90.0", "-1", "ninety"});
    CONTEXT.put(
        "aws:CurrentTime",
        new String[] {"2026-01-01T00:00:00Z", "2020-01-01", "1700000000", "soon"});
    CONTEXT.put("aws:SecureTransport", new String[] {"true", "false", "TRUE", "maybe"});
    CONTEXT.put(
        "aws:SourceIp",
        new String[] {"10.0.0.0/8", "10.1.2.3", "192.168.0.1", "2001:db8::1", "::/0", "x"});
    CONTEXT.put(
        "aws:PrincipalArn",
        new String[] {
          "arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/App", "junk"
        });
    CONTEXT.put("aws:BinaryKey", new String[] {"QmluYXJ5", "T3RoZXI=", "%%"});
  }

  private final Random random;

  RandomPolicies(long seed) {
    random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** 1–4 statements, principal required. */
  List<Map<String, Object>> keyPolicy() {
    return statements(true, 1 + random.nextInt(4));
  }

  /** 0–2 identity policies of 1–3 statements each. */
  List<List<Map<String, Object>>> identityPolicies() {
    List<List<Map<String, Object>>> out = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      out.add(statements(false, 1 + random.nextInt(3)));
    }
    return out;
  }

  List<Map<String, Object>> statements(boolean withPrincipal, int n) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(statement(random.nextInt(3) == 0 ? "Deny" : "Allow", withPrincipal));
    }
    return out;
  }

  Map<String, Object> statement(String effect, boolean withPrincipal) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Effect", effect);
    if (withPrincipal) {
      Object p = random.nextInt(8) == 0 ? "*" : Map.of("AWS", some(PRINCIPAL_VALUES, 3));
      s.put(random.nextInt(6) == 0 ? "NotPrincipal" : "Principal", p);
    }
    s.put(random.nextInt(6) == 0 ? "NotAction" : "Action", some(ACTION_PATTERNS, 3));
    s.put(random.nextInt(6) == 0 ? "NotResource" : "Resource", some(RESOURCE_PATTERNS, 2));
    if (random.nextInt(3) == 0) {
      Map<String, Object> block = new LinkedHashMap<>();
      for (int i = 1 + random.nextInt(2); i > 0; i--) {
        String key = pick(CONTEXT.keySet().toArray(new String[0]));
        String op = operatorName();
        block.put(
            op,
            Map.of(random.nextBoolean() ? key : key.toUpperCase(), some(policyValues(op, key), 2)));
      }
      s.put("Condition", block);
    }
    return s;
  }

  /** Policy values valid for the operator's type, so that generated policies always parse. */
  private static String[] policyValues(String op, String key) {
    String base = op.substring(op.indexOf(':') + 1).replace("IfExists", "");
    if (base.startsWith("Numeric")) {
      return new String[] {"90", "365", "0", "-1.5"};
    } else if (base.startsWith("Date")) {
      return new String[] {"2025-01-01T00:00:00Z", "2020-01-01", "1700000000"};
    } else if (base.equals("Bool") || base.equals("Null")) {
      return new String[] {"true", "false"};
    } else if (base.equals("BinaryEquals")) {
      return new String[] {"QmluYXJ5", "T3RoZXI="};
    } else if (base.endsWith("IpAddress")) {
      return new String[] {"10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32", "0.0.0.0/0"};
    } else if (base.startsWith("Arn")) {
      return new String[] {
        "arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:*", "arn:aws:iam::111122223333:role/App"
      };
    }
    return CONTEXT.get(key);
  }

  /** A random operator name with or without a set prefix and IfExists (never on Null). */
  private String operatorName() {
    String op = pick(OPERATORS);
    if (op.equals("Null")) {
      return op;
    }
    String prefix =
        switch (random.nextInt(5)) {
          case 0 -> "ForAnyValue:";
          case 1 -> "ForAllValues:";
          default -> "";
        };
    return prefix + op + (random.nextInt(4) == 0 ? "IfExists" : "");
  }

  AuthorizationRequest request() {
    String caller = pick(CALLERS);
    String account = caller.substring(13, 25);
    Map<String, List<String>> context = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> e : CONTEXT.entrySet()) {
      if (random.nextInt(3) == 0) {
        String key = random.nextBoolean() ? e.getKey() : e.getKey().toLowerCase();
        context.put(key, random.nextInt(8) == 0 ? List.of() : List.of(some(e.getValue(), 3)));
      }
    }
    return new AuthorizationRequest(caller, account, pick(ACTIONS), pick(RESOURCES), context);
  }

  /** The policy text, or null when the random choice made it invalid (e.g. "Bool": "HR"). */
  static PolicyDocument parseOrNull(
      List<Map<String, Object>> statements, PolicyDocument.Kind kind) {
    try {
      return PolicyDocument.parse(text(statements), kind);
    } catch (dev.keyhaven.kms.domain.error.KmsException e) {
      return null;
    }
  }

  static String text(List<Map<String, Object>> statements) {
    try {
      return JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", statements));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private String[] some(String[] values, int max) {
    String[] out = new String[1 + random.nextInt(max)];
    for (int i = 0; i < out.length; i++) {
      out[i] = pick(values);
    }
    return out;
  }
}
