package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * Scenario 1, crash durability (security reference R1). Mixed load — Encrypt, GenerateDataKey,
 * CreateKey, RotateKeyOnDemand, CreateAlias — while 1-crash.sh kills the server and PostgreSQL with
 * SIGKILL in turn, until the script signals {@code faults-done} (both running again); then checks
 * what every 200 promised:
 *
 * <ul>
 *   <li>every ciphertext answered with 200 decrypts to its plaintext;
 *   <li>every key created with 200 exists, every alias created with 200 names its key, every key
 *       rotated with 200 has at least that many versions;
 *   <li>0 keys Enabled without usable material (stored rows, and an Encrypt/Decrypt round trip
 *       through every Enabled key);
 *   <li>every 200 has its stored audit event. (The chain is verified by the script.)
 * </ul>
 *
 * Requests without an HTTP answer are counted as unknown and excluded.
 */
public final class ReliabilityCrashDriver {
  private record Sealed(String keyId, byte[] plaintext, byte[] ciphertext) {}

  private final ReliabilityClient client = ReliabilityClient.root();
  private final ReliabilityJournal journal = new ReliabilityJournal();
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Sealed> sealed = new ConcurrentLinkedQueue<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> rotations = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  public static void main(String[] args) throws Exception {
    System.exit(new ReliabilityCrashDriver().run());
  }

  private int run() throws Exception {
    int threads = ReliabilityEnv.integer("RELIABILITY_THREADS", 6);
    while (keys.size() < 4) {
      createKey();
    }
    ReliabilityEnv.loadStarting();
    ReliabilityJournal.parallel(java.util.Collections.nCopies(threads, this::load));
    System.out.println("faults done, load stopped: verifying");
    return verify();
  }

  /** Until the script signals {@code faults-done} (both processes running again). */
  private void load() {
    while (!ReliabilityEnv.signalled("faults-done")) {
      int pick = ThreadLocalRandom.current().nextInt(100);
      Answer<?> answer;
      if (pick < 40) {
        answer = encrypt();
      } else if (pick < 70) {
        answer = generateDataKey();
      } else if (pick < 80) {
        answer = createKey();
      } else if (pick < 88) {
        answer = rotate();
      } else {
        answer = createAlias();
      }
      if (answer.status() <= 0 || answer.status() >= 500) {
        sleep(100); // the server or its database is down: do not spin
      }
    }
  }

  private String anyKey() {
    return keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
  }

  private Answer<?> encrypt() {
    String key = anyKey();
    byte[] plaintext = new byte[1 + ThreadLocalRandom.current().nextInt(256)];
    random.nextBytes(plaintext);
    var a =
        journal.add(
            client.call(
                "Encrypt",
                k -> k.encrypt(b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(plaintext)))));
    if (a.ok()) {
      sealed.add(new Sealed(key, plaintext, a.value().ciphertextBlob().asByteArray()));
    }
    return a;
  }

  private Answer<?> generateDataKey() {
    String key = anyKey();
    var a =
        journal.add(
            client.call(
                "GenerateDataKey",
                k -> k.generateDataKey(b -> b.keyId(key).keySpec(DataKeySpec.AES_256))));
    if (a.ok()) {
      sealed.add(
          new Sealed(
              key, a.value().plaintext().asByteArray(), a.value().ciphertextBlob().asByteArray()));
    }
    return a;
  }

  private Answer<?> createKey() {
    var a = journal.add(client.call("CreateKey", k -> k.createKey(b -> b.description("crash"))));
    if (a.ok()) {
      keys.add(a.value().keyMetadata().keyId());
    }
    return a;
  }

  private Answer<?> rotate() {
    String key = anyKey();
    var a =
        journal.add(client.call("RotateKeyOnDemand", k -> k.rotateKeyOnDemand(b -> b.keyId(key))));
    if (a.ok()) {
      rotations.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
    }
    return a;
  }

  private Answer<?> createAlias() {
    String key = anyKey();
    String alias = "alias/crash-" + UUID.randomUUID();
    var a =
        journal.add(
            client.call(
                "CreateAlias", k -> k.createAlias(b -> b.aliasName(alias).targetKeyId(key))));
    if (a.ok()) {
      aliases.put(alias, key);
    }
    return a;
  }

  private int verify() throws Exception {
    List<String> failures = new ArrayList<>();
    long decryptFailures = 0;
    for (Sealed s : sealed) {
      SdkBytes blob = SdkBytes.fromByteArray(s.ciphertext());
      var a = settled(() -> client.call("Decrypt", k -> k.decrypt(b -> b.ciphertextBlob(blob))));
      if (!a.ok()
          || !Arrays.equals(a.value().plaintext().asByteArray(), s.plaintext())
          || !a.value().keyId().endsWith(s.keyId())) {
        decryptFailures++;
        failures.add("ciphertext under " + s.keyId() + " does not decrypt: " + a.error());
      }
    }
    long lostKeys = 0;
    for (String key : keys) {
      var a = settled(() -> client.call("DescribeKey", k -> k.describeKey(b -> b.keyId(key))));
      if (!a.ok()) {
        lostKeys++;
        failures.add("created key " + key + " is gone: " + a.error());
      }
    }
    long lostAliases = 0;
    for (var e : aliases.entrySet()) {
      String alias = e.getKey();
      var a = settled(() -> client.call("DescribeKey", k -> k.describeKey(b -> b.keyId(alias))));
      if (!a.ok() || !a.value().keyMetadata().keyId().equals(e.getValue())) {
        lostAliases++;
        failures.add("alias " + e.getKey() + " does not name " + e.getValue() + ": " + a.error());
      }
    }
    long lostRotations = 0;
    for (var e : rotations.entrySet()) {
      long version = ReliabilityDatabase.currentVersion(e.getKey());
      if (version < 1 + e.getValue().get()) {
        lostRotations++;
        failures.add(
            "key " + e.getKey() + " rotated " + e.getValue() + " times, version " + version);
      }
    }
    long broken = ReliabilityDatabase.keysWithBrokenMaterial();
    if (broken != 0) {
      failures.add(broken + " keys with broken material rows");
    }
    long unusable = 0;
    for (String key : ReliabilityDatabase.enabledKeys()) {
      byte[] probe = "probe".getBytes();
      var e =
          settled(
              () ->
                  client.call(
                      "Encrypt",
                      k -> k.encrypt(b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(probe)))));
      var d =
          !e.ok()
              ? null
              : settled(
                  () ->
                      client.call(
                          "Decrypt",
                          k -> k.decrypt(b -> b.ciphertextBlob(e.value().ciphertextBlob()))));
      if (d == null || !d.ok()) {
        unusable++;
        failures.add(
            "Enabled key " + key + " is not usable: " + (d == null ? e.error() : d.error()));
      }
    }
    long missing = journal.checkAudited(failures);
    Map<String, Object> n = new LinkedHashMap<>();
    // Scenario 9 (SIGTERM under load) reuses this driver: every answer with a request id — not
    // only the 200s — must have its event.
    if ("1".equals(System.getenv("RELIABILITY_ALL_ANSWERS_AUDITED"))) {
      List<String> unaudited = journal.answeredWithoutAuditEvent();
      if (!unaudited.isEmpty()) {
        failures.add(
            unaudited.size() + " answered requests have no audit event, e.g. " + unaudited.get(0));
      }
      n.put("answered_without_audit", unaudited.size());
    }
    n.put("kills", ReliabilityEnv.awaitEvent("kills", 1));
    n.putAll(journal.counts());
    n.put("ciphertexts", sealed.size());
    n.put("decrypt_failures", decryptFailures);
    n.put("keys_created", keys.size());
    n.put("lost_keys", lostKeys);
    n.put("aliases_created", aliases.size());
    n.put("lost_aliases", lostAliases);
    n.put("rotations_ok", rotations.values().stream().mapToInt(AtomicInteger::get).sum());
    n.put("lost_rotations", lostRotations);
    n.put("enabled_without_material", broken + unusable);
    n.put("missing_audit", missing);
    if (sealed.isEmpty() || keys.size() <= 4) {
      failures.add("the load made no ciphertexts or keys: the run proves nothing");
    }
    return ReliabilityEnv.report(
        System.getenv().getOrDefault("RELIABILITY_SCENARIO", "1-crash"),
        n,
        failures.size() > 20 ? failures.subList(0, 20) : failures);
  }

  /** The verification's calls run after the faults: retried while no answer or a 5xx comes. */
  private static <T> Answer<T> settled(java.util.function.Supplier<Answer<T>> call) {
    Answer<T> a = call.get();
    for (int i = 0; i < 10 && (a.status() <= 0 || a.status() >= 500); i++) {
      sleep(500);
      a = call.get();
    }
    return a;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
