package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Scenario 3, second half: 64 concurrent writers on one key, spread over both instances, for {@code
 * seconds}: RotateKeyOnDemand, DisableKey/EnableKey, UpdateAlias (between this key and another),
 * TagResource (each writer its own tag key, increasing values), one thread
 * ScheduleKeyDeletion/CancelKeyDeletion, the rest Encrypt. The invariants checked afterwards:
 *
 * <ul>
 *   <li>one current material version: versions 1..current and nothing above, current = 1 + the
 *       RotateKeyOnDemand calls answered 200 (none lost, none extra);
 *   <li>no use while PendingDeletion: no Encrypt answered 200 that was sent after a
 *       ScheduleKeyDeletion's 200 and answered before the CancelKeyDeletion that followed was sent;
 *   <li>no lost update: each writer's tag holds the value of its last TagResource answered 200;
 *   <li>every ciphertext answered 200 decrypts; the alias names one of the two keys.
 * </ul>
 */
final class ReliabilityWriters {
  private record Window(long from, long to) {}

  private final ReliabilityClient[] clients;
  private final ReliabilityJournal journal;
  private final AtomicLong rotations = new AtomicLong();
  private final Map<String, String> lastTag = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Window> pending = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Answer<?>> encrypts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<byte[]> ciphertexts = new ConcurrentLinkedQueue<>();
  private String key;
  private String other;
  private String alias;
  private volatile boolean stop;

  ReliabilityWriters(ReliabilityClient[] clients, ReliabilityJournal journal) {
    this.clients = clients;
    this.journal = journal;
  }

  /** Runs the race; returns the invariant violations found (empty when none). */
  List<String> run(int writers, int seconds) throws Exception {
    key =
        clients[0]
            .call("CreateKey", k -> k.createKey(b -> b.description("writers")))
            .value()
            .keyMetadata()
            .keyId();
    other =
        clients[0]
            .call("CreateKey", k -> k.createKey(b -> b.description("writers other")))
            .value()
            .keyMetadata()
            .keyId();
    alias = "alias/writers-" + UUID.randomUUID();
    clients[0].call("CreateAlias", k -> k.createAlias(b -> b.aliasName(alias).targetKeyId(key)));
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int id = i;
      futures.add(pool.submit(() -> writer(id)));
    }
    Thread.sleep(seconds * 1000L);
    stop = true;
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return check();
  }

  private void writer(int id) {
    ReliabilityClient c = clients[id % 2];
    long n = 0;
    while (!stop) {
      n++;
      switch (id % 8) {
        case 0 -> {
          if (journal
              .add(c.call("RotateKeyOnDemand", k -> k.rotateKeyOnDemand(b -> b.keyId(key))))
              .ok()) {
            rotations.incrementAndGet();
          }
        }
        case 1 -> journal.add(c.call("DisableKey", k -> k.disableKey(b -> b.keyId(key))));
        case 2 -> journal.add(c.call("EnableKey", k -> k.enableKey(b -> b.keyId(key))));
        case 3 -> {
          String target = n % 2 == 0 ? key : other;
          journal.add(
              c.call(
                  "UpdateAlias", k -> k.updateAlias(b -> b.aliasName(alias).targetKeyId(target))));
        }
        case 4, 5 -> {
          String value = Long.toString(n);
          Tag tag = Tag.builder().tagKey("w" + id).tagValue(value).build();
          if (journal
              .add(c.call("TagResource", k -> k.tagResource(b -> b.keyId(key).tags(tag))))
              .ok()) {
            lastTag.put("w" + id, value);
          }
        }
        default -> {
          if (id == 7) {
            deletionCycle(c);
          } else {
            encrypt(c);
          }
        }
      }
    }
  }

  private void deletionCycle(ReliabilityClient c) {
    var scheduled =
        journal.add(
            c.call(
                "ScheduleKeyDeletion",
                k -> k.scheduleKeyDeletion(b -> b.keyId(key).pendingWindowInDays(7))));
    sleep(100);
    long cancelSent = System.currentTimeMillis();
    journal.add(c.call("CancelKeyDeletion", k -> k.cancelKeyDeletion(b -> b.keyId(key))));
    if (scheduled.ok()) {
      pending.add(new Window(scheduled.endMs(), cancelSent));
    }
    sleep(100);
  }

  private void encrypt(ReliabilityClient c) {
    var a =
        journal.add(
            c.call(
                "Encrypt",
                k ->
                    k.encrypt(
                        b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(new byte[] {7})))));
    if (a.ok()) {
      encrypts.add(a);
      ciphertexts.add(a.value().ciphertextBlob().asByteArray());
    }
  }

  private List<String> check() throws Exception {
    List<String> violations = new ArrayList<>();
    // Settle: end any pending deletion, enable, so the ciphertexts can be decrypted.
    clients[0].call("CancelKeyDeletion", k -> k.cancelKeyDeletion(b -> b.keyId(key)));
    clients[0].call("EnableKey", k -> k.enableKey(b -> b.keyId(key)));
    long version = ReliabilityDatabase.currentVersion(key);
    if (version != 1 + rotations.get()) {
      violations.add("current version " + version + " after " + rotations + " rotations");
    }
    long broken = ReliabilityDatabase.keysWithBrokenMaterial();
    if (broken != 0) {
      violations.add(broken + " keys with broken material rows");
    }
    for (Answer<?> e : encrypts) {
      for (Window w : pending) {
        if (e.startMs() >= w.from() && e.endMs() <= w.to()) {
          violations.add("Encrypt " + e.requestId() + " succeeded while PendingDeletion");
        }
      }
    }
    var tags = clients[1].call("ListResourceTags", k -> k.listResourceTags(b -> b.keyId(key)));
    Map<String, String> stored = new ConcurrentHashMap<>();
    if (tags.ok()) {
      tags.value().tags().forEach(t -> stored.put(t.tagKey(), t.tagValue()));
    }
    lastTag.forEach(
        (tag, value) -> {
          if (!value.equals(stored.get(tag))) {
            violations.add(
                "lost update: tag " + tag + " is " + stored.get(tag) + ", last 200 set " + value);
          }
        });
    for (byte[] blob : ciphertexts) {
      SdkBytes bytes = SdkBytes.fromByteArray(blob);
      var d = clients[1].call("Decrypt", k -> k.decrypt(b -> b.ciphertextBlob(bytes)));
      if (!d.ok() || !Arrays.equals(d.value().plaintext().asByteArray(), new byte[] {7})) {
        violations.add("a ciphertext does not decrypt: " + d.error());
      }
    }
    var target = clients[0].call("DescribeKey", k -> k.describeKey(b -> b.keyId(alias)));
    if (!target.ok() || !List.of(key, other).contains(target.value().keyMetadata().keyId())) {
      violations.add("the alias names neither key: " + target.error());
    }
    return violations;
  }

  long rotations() {
    return rotations.get();
  }

  long pendingWindows() {
    return pending.size();
  }

  long encrypts() {
    return encrypts.size();
  }

  long tagWriters() {
    return lastTag.size();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
