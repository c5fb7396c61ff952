package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KeyReference;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request or result record as CloudTrail's {@code requestParameters} / {@code responseElements}:
 * members in camelCase (our records' component names are AWS's member names in lowerCamel), null
 * members omitted, and nothing secret — every binary member (plaintext, ciphertext, data keys,
 * public and private keys, key material) and the named secret strings are dropped, whatever the
 * operation (AWS KMS Developer Guide, "Logging AWS KMS API calls": "CloudTrail does not record the
 * plaintext … or the ciphertext"; grant tokens are "not visible in CloudTrail"). A string longer
 * than {@value #MAX_STRING} characters — longer than any valid member, a key policy included — is
 * kept only up to there and marked with {@code ...}: a rejected 1 MB KeyId must not become a 1 MB
 * audit record (docs/reliability.md, scenario 6).
 */
final class AuditParameters {
  /** String members that carry secrets or bearer tokens. */
  private static final Set<String> SECRET_MEMBERS =
      Set.of("grantTokens", "grantToken", "secretAccessKey", "sessionToken", "importToken");

  /** The most characters of one string member an event keeps (the key policy size quota). */
  static final int MAX_STRING = 32 * 1024;

  private AuditParameters() {}

  /** The record's members, or null for no record or a record with nothing to show. */
  static Map<String, Object> of(Object record) {
    if (record == null || !record.getClass().isRecord()) {
      return null;
    }
    Map<String, Object> members = members(record);
    return members.isEmpty() ? null : members;
  }

  private static Map<String, Object> members(Object record) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent component : RECORDED.get(record.getClass())) {
      Object value = convert(read(component, record));
      if (value != null) {
        out.put(component.getName(), value);
      }
    }
    return out;
  }

  /**
   * A record type's components less the secret ones, looked up once per type ({@code
   * getRecordComponents} builds new reflection objects on every call: 5 % of an Encrypt's
   * event-loop CPU when it ran per request, docs/performance.md).
   */
  private static final ClassValue<List<RecordComponent>> RECORDED =
      new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
          return java.util.Arrays.stream(type.getRecordComponents())
              .filter(c -> !SECRET_MEMBERS.contains(c.getName()))
              .toList();
        }
      };

  /** The audit form of a value; null when it is absent or must not be recorded. */
  private static Object convert(Object value) {
    if (value instanceof KeyReference keyId) {
      return convert(keyId.raw()); // as sent, like CloudTrail's keyId
    }
    if (value == null || value instanceof byte[]) {
      return null;
    }
    if (value instanceof String text && text.length() > MAX_STRING) {
      return text.substring(0, MAX_STRING) + "...";
    }
    if (value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Instant) {
      return value;
    }
    if (value instanceof Enum<?> e) {
      return e.toString();
    }
    if (value.getClass().isRecord()) {
      return members(value);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object element : list) {
        Object converted = convert(element);
        if (converted != null) {
          out.add(converted);
        }
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            Object converted = convert(v);
            if (converted != null) {
              out.put(String.valueOf(k), converted);
            }
          });
      return out;
    }
    return value.toString();
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component.getName(), e);
    }
  }
}
