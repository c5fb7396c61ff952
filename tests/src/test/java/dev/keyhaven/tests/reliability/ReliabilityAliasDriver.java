package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.EncryptResponse;

/**
 * Scenario 4, alias race (security reference R6). Threads loop UpdateAlias, moving one alias
 * between two keys, while others Encrypt by that alias until {@code RELIABILITY_ENCRYPTS} Encrypts
 * got 200. Then, for each of them: the ciphertext decrypts to its plaintext, and the key Decrypt
 * reports equals the key the stored audit event of that Encrypt names (and the KeyId Encrypt
 * answered). 0 mismatches allowed.
 */
public final class ReliabilityAliasDriver {
  private record Sealed(String requestId, String keyArn, byte[] plaintext, byte[] ciphertext) {}

  private final ReliabilityClient client = ReliabilityClient.root();
  private final ReliabilityJournal journal = new ReliabilityJournal();
  private final ConcurrentLinkedQueue<Sealed> sealed = new ConcurrentLinkedQueue<>();
  private final AtomicLong encrypted = new AtomicLong();
  private final AtomicLong moves = new AtomicLong();
  private final AtomicBoolean done = new AtomicBoolean();

  public static void main(String[] args) throws Exception {
    System.exit(new ReliabilityAliasDriver().run());
  }

  private int run() throws Exception {
    int target = ReliabilityEnv.integer("RELIABILITY_ENCRYPTS", 1000);
    int encrypters = ReliabilityEnv.integer("RELIABILITY_THREADS", 8);
    int updaters = 2;
    String[] keys = {createKey(), createKey()};
    String alias = "alias/race-" + UUID.randomUUID();
    var created =
        client.call(
            "CreateAlias", k -> k.createAlias(b -> b.aliasName(alias).targetKeyId(keys[0])));
    if (!created.ok()) {
      throw new IllegalStateException("CreateAlias: " + created.error());
    }
    List<Runnable> workers = new ArrayList<>();
    for (int i = 0; i < updaters; i++) {
      workers.add(() -> move(alias, keys));
    }
    for (int i = 0; i < encrypters; i++) {
      workers.add(() -> encrypt(alias, target));
    }
    ReliabilityJournal.parallel(workers);
    return verify(keys);
  }

  private String createKey() {
    var a = client.call("CreateKey", k -> k.createKey(b -> b.description("alias race")));
    if (!a.ok()) {
      throw new IllegalStateException("CreateKey: " + a.error());
    }
    return a.value().keyMetadata().keyId();
  }

  private void move(String alias, String[] keys) {
    while (!done.get()) {
      String key = keys[ThreadLocalRandom.current().nextInt(2)];
      if (journal
          .add(
              client.call(
                  "UpdateAlias", k -> k.updateAlias(b -> b.aliasName(alias).targetKeyId(key))))
          .ok()) {
        moves.incrementAndGet();
      }
    }
  }

  private void encrypt(String alias, int target) {
    while (encrypted.get() < target) {
      byte[] plaintext = new byte[32];
      ThreadLocalRandom.current().nextBytes(plaintext);
      Answer<EncryptResponse> a =
          journal.add(
              client.call(
                  "Encrypt",
                  k ->
                      k.encrypt(b -> b.keyId(alias).plaintext(SdkBytes.fromByteArray(plaintext)))));
      if (a.ok()) {
        sealed.add(
            new Sealed(
                a.requestId(),
                a.value().keyId(),
                plaintext,
                a.value().ciphertextBlob().asByteArray()));
        encrypted.incrementAndGet();
      }
    }
    done.set(true);
  }

  private int verify(String[] keys) throws Exception {
    List<String> failures = new ArrayList<>();
    Map<String, String> audited = ReliabilityDatabase.auditedKeys("Encrypt");
    long decryptFailures = 0;
    long mismatches = 0;
    long[] perKey = new long[2];
    for (Sealed s : sealed) {
      var d =
          client.call(
              "Decrypt",
              k -> k.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(s.ciphertext()))));
      if (!d.ok() || !Arrays.equals(d.value().plaintext().asByteArray(), s.plaintext())) {
        decryptFailures++;
        failures.add("Encrypt " + s.requestId() + " does not decrypt: " + d.error());
        continue;
      }
      String decryptKey = d.value().keyId();
      String auditKey = audited.get(s.requestId());
      if (!decryptKey.equals(auditKey) || !decryptKey.equals(s.keyArn())) {
        mismatches++;
        failures.add(
            "Encrypt "
                + s.requestId()
                + ": audit "
                + auditKey
                + ", answer "
                + s.keyArn()
                + ", Decrypt "
                + decryptKey);
      }
      perKey[decryptKey.endsWith(keys[0]) ? 0 : 1]++;
    }
    if (perKey[0] == 0 || perKey[1] == 0 || moves.get() < 10) {
      failures.add("no race: encrypts per key " + Arrays.toString(perKey) + ", moves " + moves);
    }
    long missing = journal.checkAudited(failures);
    Map<String, Object> n = journal.counts();
    n.put("encrypts_ok", sealed.size());
    n.put("alias_moves_ok", moves.get());
    n.put("encrypts_key1", perKey[0]);
    n.put("encrypts_key2", perKey[1]);
    n.put("decrypt_failures", decryptFailures);
    n.put("mismatches", mismatches);
    n.put("missing_audit", missing);
    return ReliabilityEnv.report(
        "4-alias", n, failures.size() > 20 ? failures.subList(0, 20) : failures);
  }
}
