package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed policies by their text (and kind), bounded LRU. A policy's text is its identity: a changed
 * policy is a different entry, so the cache cannot serve a stale decision.
 */
final class PolicyCache {
  private record Entry(PolicyDocument.Kind kind, String text) {}

  private final Map<Entry, PolicyDocument> parsed;

  PolicyCache(int maxEntries) {
    this.parsed =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Entry, PolicyDocument> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /**
   * The parsed policy. Stored policies were validated when written, so one that no longer parses is
   * our fault: a 500 (KMSInternalException), never the caller's MalformedPolicyDocument.
   */
  synchronized PolicyDocument get(String text, PolicyDocument.Kind kind) {
    return parsed.computeIfAbsent(
        new Entry(kind, text),
        e -> {
          try {
            return PolicyDocument.parse(e.text(), e.kind());
          } catch (KmsException malformed) {
            throw new IllegalStateException(
                "a stored " + e.kind() + " no longer parses", malformed);
          }
        });
  }
}
