package dev.keyhaven.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5 of docs/reliability.md: mutated ciphertexts against a running server. Every mutation
 * must be rejected with HTTP 400 and exactly the AWS error its bytes call for, and every rejection
 * of one error type must carry the same body (error uniformity, security reference P2, P6, R9).
 *
 * <p>The expected error follows docs/ciphertext-format.md, Decryption: a blob that does not parse,
 * a changed bit, length, version, nonce, IV, tag or encryption context, or a header naming another
 * of the caller's symmetric keys is InvalidCiphertextException; a KeyId parameter naming another
 * key than the header's is IncorrectKeyException; a header naming a key the caller does not have (a
 * flipped key-id bit) is AWS's AccessDeniedException for a key that "does not exist".
 *
 * <p>Environment: dev.env's KMS_ENDPOINT and KMS_TOKEN; RELIABILITY_MUTATIONS (default 5000),
 * RELIABILITY_SEED (default: the clock, printed), RELIABILITY_THREADS (4), RELIABILITY_JSON.
 */
class ReliabilityCiphertextMutationTest {
  private static final String CONTEXT_PREFIX = "{\"purpose\":\"mutation\",\"n\":\"";

  /** The mutations, drawn in turn so each gets its share. */
  enum Kind {
    BIT_FLIP,
    TRUNCATE,
    EXTEND,
    HEADER_KEY_SWAP,
    VERSION_SWAP,
    CONTEXT_CHANGE,
    WRONG_KEY_ID
  }

  /** A valid ciphertext, the context it was made with, and the key version inside it. */
  record Sample(byte[] blob, int n, int version) {}

  /** One mutated Decrypt request and the error type its bytes call for. */
  record Mutation(Kind kind, String body, String expectedType) {}

  private final ReliabilityHttp http = new ReliabilityHttp();

  @Test
  void everyMutation_isRejectedWithOneUniformErrorPerType() throws Exception {
    int count = Integer.parseInt(ReliabilityHttp.env("RELIABILITY_MUTATIONS", "5000"));
    long seed =
        Long.parseLong(
            ReliabilityHttp.env("RELIABILITY_SEED", String.valueOf(System.currentTimeMillis())));
    int threads = Integer.parseInt(ReliabilityHttp.env("RELIABILITY_THREADS", "4"));
    System.out.println("5-mutation: seed " + seed + ", " + count + " mutations");

    String keyA = createKey();
    List<Sample> samples = new ArrayList<>();
    Random random = new Random(seed);
    for (int i = 0; i < 4; i++) {
      samples.add(encrypt(keyA, i, random, 1));
    }
    http.ok("RotateKeyOnDemand", "{\"KeyId\":\"" + keyA + "\"}");
    for (int i = 4; i < 8; i++) {
      samples.add(encrypt(keyA, i, random, 2));
    }
    List<String> others = List.of(createKey(), createKey());
    Set<UUID> callerKeys =
        Set.of(
            UUID.fromString(keyA), UUID.fromString(others.get(0)), UUID.fromString(others.get(1)));
    // The unmutated samples must decrypt, or every rejection below would prove nothing.
    for (Sample s : samples) {
      http.ok("Decrypt", decryptBody(s.blob(), context(s.n()), null));
    }

    List<Mutation> mutations = new ArrayList<>(count);
    Kind[] kinds = Kind.values();
    for (int i = 0; i < count; i++) {
      Sample s = samples.get(random.nextInt(samples.size()));
      mutations.add(mutate(kinds[i % kinds.length], s, random, others, callerKeys));
    }

    Map<String, String> bodyByType = new ConcurrentHashMap<>();
    Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
    Map<String, AtomicLong> byType = new ConcurrentHashMap<>();
    Set<String> distinctBodies = ConcurrentHashMap.newKeySet();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong accepted = new AtomicLong();
    AtomicLong serverErrors = new AtomicLong();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      done.add(
          pool.submit(
              () -> {
                for (int i = first; i < mutations.size(); i += threads) {
                  Mutation m = mutations.get(i);
                  ReliabilityHttp.Answer a = http.call("Decrypt", m.body());
                  byKind.computeIfAbsent(m.kind().name(), k -> new AtomicLong()).incrementAndGet();
                  String type = a.status() == 200 ? "ACCEPTED" : typeOf(a.body());
                  byType.computeIfAbsent(type, k -> new AtomicLong()).incrementAndGet();
                  distinctBodies.add(a.status() + " " + a.body());
                  if (a.status() == 200) {
                    accepted.incrementAndGet();
                  }
                  if (a.status() >= 500) {
                    serverErrors.incrementAndGet();
                  }
                  String known = bodyByType.putIfAbsent(type, a.body());
                  if (a.status() != 400
                      || !type.equals(m.expectedType())
                      || (known != null && !known.equals(a.body()))) {
                    if (failures.size() < 20) {
                      failures.add(
                          m.kind()
                              + " #"
                              + i
                              + ": expected 400 "
                              + m.expectedType()
                              + ", got "
                              + a.status()
                              + " "
                              + a.body());
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;

    long rejected = count - accepted.get();
    String json =
        String.format(
            "{\"scenario\":\"5-mutation\",\"seed\":%d,\"mutations\":%d,\"rejected\":%d,"
                + "\"rejectedPercent\":%.3f,\"accepted\":%d,\"status5xx\":%d,\"byKind\":%s,"
                + "\"byErrorType\":%s,\"distinctBodies\":%d,\"seconds\":%.1f,\"failures\":%d}",
            seed,
            count,
            rejected,
            100.0 * rejected / count,
            accepted.get(),
            serverErrors.get(),
            counts(byKind),
            counts(byType),
            distinctBodies.size(),
            seconds,
            failures.size());
    ReliabilityHttp.writeResult("5-mutation.json", json);
    System.out.println(json);
    distinctBodies.forEach(b -> System.out.println("  body: " + b));
    // A run that sent nothing, or less than it was asked to, proves nothing.
    assertTrue(count > 0, "RELIABILITY_MUTATIONS is " + count + ": the run proves nothing");
    assertEquals(
        count, byKind.values().stream().mapToLong(AtomicLong::get).sum(), "mutations sent");
    assertEquals(List.of(), failures, "mutations not rejected as expected (seed " + seed + ")");
    assertEquals(0, accepted.get());
    assertEquals(0, serverErrors.get());
    assertTrue(distinctBodies.size() <= 3, "one body per error type: " + distinctBodies);
  }

  private Mutation mutate(
      Kind kind, Sample s, Random random, List<String> others, Set<UUID> callerKeys) {
    byte[] blob = s.blob().clone();
    String context = context(s.n());
    String keyId = null;
    switch (kind) {
      case BIT_FLIP -> {
        // Distinct bits: flipping one bit twice would give back the valid ciphertext (the long
        // run's seed 20261129 drew bit 394 twice at mutation 28,574, and it decrypted).
        Set<Integer> bits = new java.util.HashSet<>();
        int flips = 1 + random.nextInt(4);
        while (bits.size() < flips) {
          bits.add(random.nextInt(blob.length * 8));
        }
        for (int bit : bits) {
          blob[bit / 8] ^= (byte) (1 << (bit % 8));
        }
      }
      case TRUNCATE -> blob = java.util.Arrays.copyOf(blob, 1 + random.nextInt(blob.length - 1));
      case EXTEND -> {
        byte[] tail = new byte[1 + random.nextInt(64)];
        random.nextBytes(tail);
        byte[] longer = java.util.Arrays.copyOf(blob, blob.length + tail.length);
        System.arraycopy(tail, 0, longer, blob.length, tail.length);
        blob = longer;
      }
      case HEADER_KEY_SWAP -> {
        UUID other = UUID.fromString(others.get(random.nextInt(others.size())));
        ByteBuffer.wrap(blob, 1, 16)
            .putLong(other.getMostSignificantBits())
            .putLong(other.getLeastSignificantBits());
        if (random.nextBoolean()) {
          ByteBuffer.wrap(blob, 17, 4).putInt(s.version() == 1 ? 2 : 1);
        }
      }
      case VERSION_SWAP -> {
        int version =
            switch (random.nextInt(4)) {
              case 0, 1 -> s.version() == 1 ? 2 : 1;
              case 2 -> 3 + random.nextInt(1000);
              default -> random.nextInt(Integer.MAX_VALUE) * -1 - 1;
            };
        ByteBuffer.wrap(blob, 17, 4).putInt(version);
      }
      case CONTEXT_CHANGE -> context = changedContext(s.n(), random);
      case WRONG_KEY_ID -> {
        String other = others.get(random.nextInt(others.size()));
        keyId = random.nextBoolean() ? other : arnOf(other);
      }
      default -> throw new IllegalStateException();
    }
    return new Mutation(kind, decryptBody(blob, context, keyId), expected(blob, keyId, callerKeys));
  }

  /** The error type docs/ciphertext-format.md gives these bytes (the samples' key is keyA). */
  private static String expected(byte[] blob, String keyId, Set<UUID> callerKeys) {
    boolean parses =
        blob.length >= 81 && blob[0] == 1 && ByteBuffer.wrap(blob, 17, 4).getInt() >= 1;
    if (!parses) {
      return "InvalidCiphertextException";
    }
    ByteBuffer header = ByteBuffer.wrap(blob, 1, 16);
    UUID inBlob = new UUID(header.getLong(), header.getLong());
    if (!callerKeys.contains(inBlob)) {
      return "AccessDeniedException";
    }
    if (keyId != null && !keyId.endsWith(inBlob.toString())) {
      return "IncorrectKeyException";
    }
    return "InvalidCiphertextException";
  }

  private String changedContext(int n, Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> null;
      case 1 -> "{}";
      case 2 -> "{\"purpose\":\"mutation\"}";
      case 3 -> CONTEXT_PREFIX + n + "\",\"extra\":\"" + random.nextInt(1000) + "\"}";
      case 4 -> "{\"Purpose\":\"mutation\",\"n\":\"" + n + "\"}";
      case 5 -> CONTEXT_PREFIX + (n + 1 + random.nextInt(1000)) + "\"}";
      default -> "{\"purpose\":\"Mutation\",\"n\":\"" + n + "\"}";
    };
  }

  private String createKey() {
    return ReliabilityHttp.member(
        http.ok("CreateKey", "{\"Description\":\"reliability 5-mutation\"}"), "KeyId");
  }

  private String arnOf(String keyId) {
    return "arn:aws:kms:"
        + ReliabilityHttp.env("KMS_REGION", "us-east-1")
        + ":"
        + ReliabilityHttp.env("KMS_ACCOUNT_ID", "111122223333")
        + ":key/"
        + keyId;
  }

  private Sample encrypt(String keyId, int n, Random random, int version) {
    byte[] plaintext = new byte[n == 0 ? 4096 : 1 + random.nextInt(512)];
    random.nextBytes(plaintext);
    String body =
        "{\"KeyId\":\""
            + keyId
            + "\",\"Plaintext\":\""
            + Base64.getEncoder().encodeToString(plaintext)
            + "\",\"EncryptionContext\":"
            + context(n)
            + "}";
    byte[] blob =
        Base64.getDecoder()
            .decode(ReliabilityHttp.member(http.ok("Encrypt", body), "CiphertextBlob"));
    assertEquals(version, ByteBuffer.wrap(blob, 17, 4).getInt(), "key version in the header");
    return new Sample(blob, n, version);
  }

  private static String context(int n) {
    return CONTEXT_PREFIX + n + "\"}";
  }

  private static String decryptBody(byte[] blob, String context, String keyId) {
    StringBuilder body =
        new StringBuilder("{\"CiphertextBlob\":\"")
            .append(Base64.getEncoder().encodeToString(blob))
            .append('"');
    if (context != null) {
      body.append(",\"EncryptionContext\":").append(context);
    }
    if (keyId != null) {
      body.append(",\"KeyId\":\"").append(keyId).append('"');
    }
    return body.append('}').toString();
  }

  private static String typeOf(String body) {
    try {
      return ReliabilityHttp.member(body, "__type");
    } catch (IllegalStateException e) {
      return "UNPARSEABLE";
    }
  }

  private static String counts(Map<String, AtomicLong> counts) {
    StringBuilder out = new StringBuilder("{");
    new TreeMap<>(counts)
        .forEach(
            (k, v) ->
                out.append(out.length() > 1 ? "," : "")
                    .append('"')
                    .append(k)
                    .append("\":")
                    .append(v.get()));
    return out.append('}').toString();
  }
}
