package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.grant.GrantConstraints;
import dev.keyhaven.kms.domain.grant.GrantOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request-specific condition keys an operation contributes to authorization (AWS KMS Developer
 * Guide, "AWS KMS condition keys"), e.g. {@code kms:EncryptionContext:<key>} or {@code
 * kms:RequestAlias}. Key names are case-insensitive, so they are stored lower-case; values keep
 * their case. The key-derived and caller-derived keys are added by {@link Authorization}.
 *
 * <p>Grants need two request facts the condition keys cannot carry exactly: the encryption context
 * with its original key case (grant constraints match keys case-insensitively, values exactly) and,
 * for CreateGrant, the operations and constraints of the grant being created.
 */
public final class Conditions {
  /** No request-specific condition keys (a new, empty instance: instances are mutable). */
  public static Conditions none() {
    return new Conditions();
  }

  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private Map<String, String> encryptionContext = Map.of();
  private Set<GrantOperation> requestedGrantOperations = Set.of();
  private GrantConstraints requestedGrantConstraints = GrantConstraints.NONE;

  public Conditions with(String key, String value) {
    if (value != null) {
      values.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }
    return this;
  }

  public Conditions withAll(String key, Iterable<String> list) {
    List<String> target =
        values.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
    list.forEach(target::add);
    return this;
  }

  /**
   * {@code kms:EncryptionContext:<key>} per pair and {@code kms:EncryptionContextKeys} (an empty
   * multi-valued key when the context is empty, which ForAllValues treats as true).
   */
  public static Conditions encryptionContext(Map<String, String> context) {
    Conditions c = new Conditions();
    List<String> keys = new ArrayList<>();
    if (context != null) {
      c.encryptionContext = Map.copyOf(context);
      context.forEach(
          (k, v) -> {
            c.with("kms:EncryptionContext:" + k, v);
            keys.add(k);
          });
    }
    return c.withAll("kms:EncryptionContextKeys", keys);
  }

  /** Adds every condition value of {@code other} (its request facts for grants are not copied). */
  public Conditions and(Conditions other) {
    other.values.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    return this;
  }

  /** {@code kms:RequestAlias} when the KeyId member names an alias (by name or alias ARN). */
  public Conditions requestAlias(String keyId) {
    int at = keyId.indexOf("alias/");
    return at < 0 ? this : with("kms:RequestAlias", keyId.substring(at));
  }

  /** CreateGrant: the grant being created, for grants that allow CreateGrant. */
  public Conditions requestedGrant(Set<GrantOperation> operations, GrantConstraints constraints) {
    requestedGrantOperations = Set.copyOf(operations);
    requestedGrantConstraints = constraints;
    return this;
  }

  /** The request's encryption context as sent (empty when none). */
  Map<String, String> encryptionContext() {
    return encryptionContext;
  }

  Set<GrantOperation> requestedGrantOperations() {
    return requestedGrantOperations;
  }

  GrantConstraints requestedGrantConstraints() {
    return requestedGrantConstraints;
  }

  Map<String, List<String>> asMap() {
    return values;
  }
}
