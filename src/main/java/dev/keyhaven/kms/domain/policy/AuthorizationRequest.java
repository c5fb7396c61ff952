package dev.keyhaven.kms.domain.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request to authorize: who, what, on which resource, with which condition-key values.
 *
 * <p>Contract: {@code conditionValues} keys may be in any case; the canonical constructor stores
 * them lower-cased (condition key names are case-insensitive, IAM User Guide, "Condition"), merging
 * keys that differ only in case, and the map is unmodifiable. A key that is absent, or maps to an
 * empty list, is MISSING from the request context. Values keep their case. A null map is empty;
 * null values inside a list are dropped.
 *
 * @param principalArn the caller, e.g. {@code arn:aws:iam::111122223333:role/App}, {@code
 *     arn:aws:iam::111122223333:root}, {@code arn:aws:sts::111122223333:assumed-role/App/session}
 * @param principalAccount the caller's 12-digit account
 * @param action e.g. {@code kms:Encrypt} (matched case-insensitively)
 * @param resourceArn the key ARN, or {@code "*"} for actions with no resource (kms:CreateKey, ...)
 * @param conditionValues condition key → values
 */
public record AuthorizationRequest(
    String principalArn,
    String principalAccount,
    String action,
    String resourceArn,
    Map<String, List<String>> conditionValues) {

  public AuthorizationRequest {
    Objects.requireNonNull(principalArn, "principalArn");
    Objects.requireNonNull(principalAccount, "principalAccount");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resourceArn, "resourceArn");
    conditionValues = normalize(conditionValues);
  }

  private static Map<String, List<String>> normalize(Map<String, List<String>> in) {
    if (in == null || in.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new HashMap<>();
    for (Map.Entry<String, List<String>> e : in.entrySet()) {
      if (e.getKey() == null) {
        continue;
      }
      List<String> merged =
          out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
      if (e.getValue() != null) {
        e.getValue().stream().filter(Objects::nonNull).forEach(merged::add);
      }
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(out);
  }
}
