package dev.keyhaven.tests.reliability;

import dev.keyhaven.tests.reliability.ReliabilityClient.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;

/**
 * Scenario 3, first half: staleness trials across two instances. Each trial of each kind makes a
 * change that removes access on one instance (the writer) and, once its 200 is in, uses the key on
 * the other (the reader): DisableKey, ScheduleKeyDeletion, RevokeGrant, PutKeyPolicy without the
 * grantee's Allow, an identity policy (PutPrincipalPolicy) denying the grantee, DeleteAccessKey of
 * the key the use signs with. The reader has just used the key, so it holds the state in its
 * hot-state cache (docs/performance.md): the use after the change tests the version check. A use
 * that succeeds after the writer's 200 is a violation of the staleness bound 0
 * (docs/key-hierarchy.md); a use refused with anything but the kind's documented error ({@link
 * #EXPECTED_REFUSAL}) is a failure too. Before each trial the reader's use must succeed (else the
 * trial proves nothing and counts as a setup failure). Writer and reader swap every trial.
 */
final class ReliabilityStaleness {
  /**
   * One trial's outcome: refused is false for a violation; millis from the change's 200;
   * wrongRefusal names the answer when the use was refused with anything but the documented error.
   */
  record Trial(
      String kind, boolean refused, long millis, String setupFailure, String wrongRefusal) {}

  /** The error the use must get after each kind of change (docs/reliability.md, scenario 3). */
  static final Map<String, String> EXPECTED_REFUSAL =
      Map.of(
          "disable", "DisabledException",
          "delete", "KMSInvalidStateException",
          "revoke", "AccessDeniedException",
          "policy", "AccessDeniedException",
          "identity", "AccessDeniedException",
          "access-key", "UnrecognizedClientException");

  private final ReliabilityClient[] root;
  private final ReliabilityAdmin[] admin;
  private final ReliabilityClient[] grantee;
  private final String granteeArn;
  private final ReliabilityJournal journal;
  private static final byte[] PLAINTEXT = "staleness probe".getBytes();
  private final ConcurrentLinkedQueue<Trial> trials = new ConcurrentLinkedQueue<>();

  ReliabilityStaleness(
      ReliabilityClient[] root,
      ReliabilityAdmin[] admin,
      ReliabilityClient[] grantee,
      String granteeArn,
      ReliabilityJournal journal) {
    this.root = root;
    this.admin = admin;
    this.grantee = grantee;
    this.granteeArn = granteeArn;
    this.journal = journal;
  }

  private Answer<?> use(ReliabilityClient client, String key) {
    return journal.add(
        client.call(
            "Encrypt",
            k -> k.encrypt(b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(PLAINTEXT)))));
  }

  private <T extends AwsResponse> Answer<T> write(
      ReliabilityClient client, String op, Function<KmsClient, T> call) {
    return journal.add(client.call(op, call));
  }

  /** The principal whose access keys the "access-key" kind creates and deletes. */
  private static String accessKeyPrincipal(String account) {
    return "arn:aws:iam::" + account + ":role/reliability-access-key";
  }

  /**
   * Runs {@code n} trials of one kind ("disable", "delete", "revoke", "policy", "identity",
   * "access-key").
   */
  void run(String kind, int n) {
    var created = root[0].call("CreateKey", k -> k.createKey(b -> b.description("staleness")));
    String key = created.value().keyMetadata().keyId();
    String keyArn = created.value().keyMetadata().arn();
    String account = ReliabilityEnv.required("KMS_ACCOUNT_ID");
    String rootOnly = policy(account, null);
    String withGrantee = policy(account, granteeArn);
    if (kind.equals("policy") || kind.equals("identity")) {
      write(root[0], "PutKeyPolicy", k -> k.putKeyPolicy(b -> b.keyId(key).policy(withGrantee)));
    }
    if (kind.equals("access-key")) {
      String withRole = policy(account, accessKeyPrincipal(account));
      write(root[0], "PutKeyPolicy", k -> k.putKeyPolicy(b -> b.keyId(key).policy(withRole)));
      for (int i = 0; i < n; i++) {
        accessKeyTrial(i, key, account);
      }
      return;
    }
    // Denies the grantee Encrypt on this kind's key only: the other kinds use the same grantee.
    String denyEncrypt =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"kms:Encrypt\",\"Resource\":\""
            + keyArn
            + "\"}]}";
    for (int i = 0; i < n; i++) {
      ReliabilityClient writer = root[i % 2];
      int reader = (i + 1) % 2;
      String grantId = null;
      if (kind.equals("revoke")) {
        var g =
            write(
                writer,
                "CreateGrant",
                k ->
                    k.createGrant(
                        b ->
                            b.keyId(key)
                                .granteePrincipal(granteeArn)
                                .operations(GrantOperation.ENCRYPT)));
        grantId = g.ok() ? g.value().grantId() : null;
      }
      ReliabilityClient user =
          kind.equals("revoke") || kind.equals("policy") || kind.equals("identity")
              ? grantee[reader]
              : root[reader];
      var before = use(user, key);
      if (!before.ok()) {
        trials.add(new Trial(kind, true, 0, "use before the change: " + before.error(), null));
        reset(kind, i % 2, key, withGrantee);
        continue;
      }
      String grant = grantId;
      Answer<?> change =
          switch (kind) {
            case "disable" -> write(writer, "DisableKey", k -> k.disableKey(b -> b.keyId(key)));
            case "delete" ->
                write(
                    writer,
                    "ScheduleKeyDeletion",
                    k -> k.scheduleKeyDeletion(b -> b.keyId(key).pendingWindowInDays(7)));
            case "revoke" ->
                write(writer, "RevokeGrant", k -> k.revokeGrant(b -> b.keyId(key).grantId(grant)));
            case "identity" ->
                journal.add(
                    admin[i % 2].call(
                        "PutPrincipalPolicy",
                        "{\"PrincipalArn\":\""
                            + granteeArn
                            + "\",\"PolicyDocument\":"
                            + quote(denyEncrypt)
                            + "}"));
            default ->
                write(
                    writer,
                    "PutKeyPolicy",
                    k -> k.putKeyPolicy(b -> b.keyId(key).policy(rootOnly)));
          };
      if (!change.ok()) {
        trials.add(new Trial(kind, true, 0, "the change failed: " + change.error(), null));
        reset(kind, i % 2, key, withGrantee);
        continue;
      }
      var after = use(user, key);
      // Refused, and for the documented reason: any other error (a 5xx, a timeout, a 400 of
      // another type) is not the change taking effect and proves nothing about staleness.
      boolean documented =
          after.status() == 400 && EXPECTED_REFUSAL.get(kind).equals(after.error());
      trials.add(
          new Trial(
              kind,
              !after.ok(),
              after.endMs() - change.endMs(),
              null,
              after.ok() || documented ? null : after.status() + " " + after.error()));
      reset(kind, i % 2, key, withGrantee);
    }
  }

  /**
   * One "access-key" trial: a new access key of the role, created on the writer, used on the reader
   * (which caches it), deleted on the writer; then used on the reader again.
   */
  private void accessKeyTrial(int i, String key, String account) {
    var made =
        journal.add(
            admin[i % 2].call(
                "CreateAccessKey", "{\"PrincipalArn\":\"" + accessKeyPrincipal(account) + "\"}"));
    if (!made.ok()) {
      trials.add(new Trial("access-key", true, 0, "CreateAccessKey: " + made.error(), null));
      return;
    }
    String id = ReliabilityAdmin.member(made.value(), "AccessKeyId");
    String secret = ReliabilityAdmin.member(made.value(), "SecretAccessKey");
    try (ReliabilityClient user = new ReliabilityClient(root[(i + 1) % 2].endpoint(), id, secret)) {
      var before = use(user, key);
      if (!before.ok()) {
        trials.add(
            new Trial("access-key", true, 0, "use before the change: " + before.error(), null));
        journal.add(admin[i % 2].call("DeleteAccessKey", "{\"AccessKeyId\":\"" + id + "\"}"));
        return;
      }
      var change =
          journal.add(admin[i % 2].call("DeleteAccessKey", "{\"AccessKeyId\":\"" + id + "\"}"));
      if (!change.ok()) {
        trials.add(new Trial("access-key", true, 0, "the change failed: " + change.error(), null));
        return;
      }
      var after = use(user, key);
      boolean documented =
          after.status() == 400 && EXPECTED_REFUSAL.get("access-key").equals(after.error());
      trials.add(
          new Trial(
              "access-key",
              !after.ok(),
              after.endMs() - change.endMs(),
              null,
              after.ok() || documented ? null : after.status() + " " + after.error()));
    }
  }

  /** A JSON string literal of {@code text} (which holds no backslash). */
  private static String quote(String text) {
    return "\"" + text.replace("\"", "\\\"") + "\"";
  }

  private void reset(String kind, int writerIndex, String key, String withGrantee) {
    ReliabilityClient writer = root[writerIndex];
    switch (kind) {
      case "disable" -> write(writer, "EnableKey", k -> k.enableKey(b -> b.keyId(key)));
      case "delete" -> {
        write(writer, "CancelKeyDeletion", k -> k.cancelKeyDeletion(b -> b.keyId(key)));
        write(writer, "EnableKey", k -> k.enableKey(b -> b.keyId(key)));
      }
      case "policy" ->
          write(writer, "PutKeyPolicy", k -> k.putKeyPolicy(b -> b.keyId(key).policy(withGrantee)));
      case "identity" ->
          journal.add(
              admin[writerIndex].call(
                  "DeletePrincipalPolicy", "{\"PrincipalArn\":\"" + granteeArn + "\"}"));
      default -> {}
    }
  }

  /** The account root may do everything; {@code grantee} (if not null) may Encrypt. */
  private static String policy(String account, String grantee) {
    String rootStatement =
        "{\"Sid\":\"root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::"
            + account
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    String granteeStatement =
        grantee == null
            ? ""
            : ",{\"Sid\":\"grantee\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\""
                + grantee
                + "\"},"
                + "\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}";
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + rootStatement + granteeStatement + "]}";
  }

  List<Trial> all() {
    return new ArrayList<>(trials);
  }
}
