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
 * change that removes access on one instance (the writer) and, once its 200 is in, uses the key
 * on the other (the reader): DisableKey, ScheduleKeyDeletion, RevokeGrant, PutKeyPolicy without
 * the grantee's Allow. A use that succeeds after the writer's 200 is a violation of the staleness
 * bound 0 (docs/key-hierarchy.md); a use refused with anything but the kind's documented error
 * ({@link #EXPECTED_REFUSAL}) is a failure too. Before each trial the reader's use must succeed (else the trial
 * proves nothing and counts as a setup failure). Writer and reader swap every trial.
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
          "policy", "AccessDeniedException");

  private final ReliabilityClient[] root;
  private final ReliabilityClient[] grantee;
  private final String granteeArn;
  private final ReliabilityJournal journal;
  private static final byte[] PLAINTEXT = "staleness probe".getBytes();
  private final ConcurrentLinkedQueue<Trial> trials = new ConcurrentLinkedQueue<>();

  ReliabilityStaleness(ReliabilityClient[] root, ReliabilityClient[] grantee, String granteeArn,
      ReliabilityJournal journal) {
    this.root = root;
    this.grantee = grantee;
    this.granteeArn = granteeArn;
    this.journal = journal;
  }

  private Answer<?> use(ReliabilityClient client, String key) {
    return journal.add(client.call("Encrypt",
        k -> k.encrypt(b -> b.keyId(key).plaintext(SdkBytes.fromByteArray(PLAINTEXT)))));
  }

  private <T extends AwsResponse> Answer<T> write(
      ReliabilityClient client, String op, Function<KmsClient, T> call) {
    return journal.add(client.call(op, call));
  }

  /** Runs {@code n} trials of one kind ("disable", "delete", "revoke", "policy"). */
  void run(String kind, int n) {
    String key = root[0].call("CreateKey", k -> k.createKey(b -> b.description("staleness")))
        .value().keyMetadata().keyId();
    String account = ReliabilityEnv.required("KMS_ACCOUNT_ID");
    String rootOnly = policy(account, null);
    String withGrantee = policy(account, granteeArn);
    if (kind.equals("policy")) {
      write(root[0], "PutKeyPolicy", k -> k.putKeyPolicy(b -> b.keyId(key).policy(withGrantee)));
    }
    for (int i = 0; i < n; i++) {
      ReliabilityClient writer = root[i % 2];
      int reader = (i + 1) % 2;
      String grantId = null;
      if (kind.equals("revoke")) {
        var g = write(writer, "CreateGrant", k -> k.createGrant(b -> b.keyId(key)
            .granteePrincipal(granteeArn).operations(GrantOperation.ENCRYPT)));
        grantId = g.ok() ? g.value().grantId() : null;
      }
      ReliabilityClient user = kind.equals("revoke") || kind.equals("policy")
          ? grantee[reader] : root[reader];
      var before = use(user, key);
      if (!before.ok()) {
        trials.add(new Trial(kind, true, 0, "use before the change: " + before.error(), null));
        reset(kind, writer, key, withGrantee);
        continue;
      }
      String grant = grantId;
      Answer<?> change = switch (kind) {
        case "disable" -> write(writer, "DisableKey", k -> k.disableKey(b -> b.keyId(key)));
        case "delete" -> write(writer, "ScheduleKeyDeletion",
            k -> k.scheduleKeyDeletion(b -> b.keyId(key).pendingWindowInDays(7)));
        case "revoke" -> write(writer, "RevokeGrant",
            k -> k.revokeGrant(b -> b.keyId(key).grantId(grant)));
        default -> write(writer, "PutKeyPolicy",
            k -> k.putKeyPolicy(b -> b.keyId(key).policy(rootOnly)));
      };
      if (!change.ok()) {
        trials.add(new Trial(kind, true, 0, "the change failed: " + change.error(), null));
        reset(kind, writer, key, withGrantee);
        continue;
      }
      var after = use(user, key);
      // Refused, and for the documented reason: any other error (a 5xx, a timeout, a 400 of
      // another type) is not the change taking effect and proves nothing about staleness.
      boolean documented =
          after.status() == 400 && EXPECTED_REFUSAL.get(kind).equals(after.error());
      trials.add(new Trial(kind, !after.ok(), after.endMs() - change.endMs(), null,
          after.ok() || documented ? null : after.status() + " " + after.error()));
      reset(kind, writer, key, withGrantee);
    }
  }

  private void reset(String kind, ReliabilityClient writer, String key, String withGrantee) {
    switch (kind) {
      case "disable" -> write(writer, "EnableKey", k -> k.enableKey(b -> b.keyId(key)));
      case "delete" -> {
        write(writer, "CancelKeyDeletion", k -> k.cancelKeyDeletion(b -> b.keyId(key)));
        write(writer, "EnableKey", k -> k.enableKey(b -> b.keyId(key)));
      }
      case "policy" -> write(writer, "PutKeyPolicy",
          k -> k.putKeyPolicy(b -> b.keyId(key).policy(withGrantee)));
      default -> { }
    }
  }

  /** The account root may do everything; {@code grantee} (if not null) may Encrypt. */
  private static String policy(String account, String grantee) {
    String rootStatement = "{\"Sid\":\"root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::" + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    String granteeStatement = grantee == null ? "" : ",{\"Sid\":\"grantee\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"" + grantee + "\"},"
        + "\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}";
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + rootStatement + granteeStatement + "]}";
  }

  List<Trial> all() {
    return new ArrayList<>(trials);
  }
}
