package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Walks every case of Wycheproof files, counts the cases per category and collects every mismatch,
 * so one run shows all failures; {@link #assertClean} then requires no mismatch and exactly the
 * expected counts (a vector file that shrinks or grows fails the test).
 */
final class VectorTally {
  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<String> mismatches = new ArrayList<>();

  /** Calls {@code action} with each (group, test) of the file, after checking its schema. */
  static void forEachCase(String file, String schema, BiConsumer<JsonNode, JsonNode> action) {
    JsonNode root = TestVectors.json("wycheproof/" + file);
    assertEquals(schema, root.get("schema").asText(), file);
    for (JsonNode group : root.get("testGroups")) {
      for (JsonNode test : group.get("tests")) {
        action.accept(group, test);
      }
    }
  }

  static String label(String file, JsonNode test) {
    return file
        + " tcId "
        + test.get("tcId").asInt()
        + " ("
        + test.get("comment").asText()
        + " "
        + test.get("flags")
        + ")";
  }

  static boolean hasFlag(JsonNode test, String flag) {
    for (JsonNode f : test.get("flags")) {
      if (f.asText().equals(flag)) {
        return true;
      }
    }
    return false;
  }

  void count(String category) {
    counts.merge(category, 1, Integer::sum);
  }

  /** Counts the case under {@code category}; a mismatch unless {@code accepted == expected}. */
  void expect(String category, String label, boolean expected, boolean accepted) {
    count(category);
    if (expected != accepted) {
      mismatches.add(label + ": " + (accepted ? "accepted" : "rejected"));
    }
  }

  void mismatch(String label, String problem) {
    mismatches.add(label + ": " + problem);
  }

  void assertClean(Map<String, Integer> expectedCounts) {
    assertEquals(List.of(), mismatches);
    assertEquals(new TreeMap<>(expectedCounts), counts, "cases per category");
  }
}
