package dev.keyhaven.bench;

import dev.keyhaven.kms.domain.policy.AuthorizationRequest;
import dev.keyhaven.kms.domain.policy.KmsAuthorizer;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Policy evaluation on the request path: a typical 3-statement key policy (account root, key
 * administrators, key users with an encryption-context condition) plus the caller's identity
 * policy, for an Encrypt by the key-user role. Parsing is measured separately: it happens once per
 * policy text (the parsed-policy cache).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorizationBenchmark {
  static final String KEY_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
          + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
          + "{\"Sid\":\"Admins\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/KeyAdmin\"},"
          + "\"Action\":[\"kms:Create*\",\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\",\"kms:Put*\",\"kms:Update*\","
          + "\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:ScheduleKeyDeletion\","
          + "\"kms:CancelKeyDeletion\"],\"Resource\":\"*\"},"
          + "{\"Sid\":\"Users\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/App\"},"
          + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\"],"
          + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:tenant\":\"acme\"}}}]}";
  static final String IDENTITY_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Describe*\",\"Resource\":\"*\"}]}";

  private final PolicyDocument keyPolicy =
      PolicyDocument.parse(KEY_POLICY, PolicyDocument.Kind.KEY_POLICY);
  private final List<PolicyDocument> identity =
      List.of(PolicyDocument.parse(IDENTITY_POLICY, PolicyDocument.Kind.IDENTITY_POLICY));
  private final AuthorizationRequest encrypt =
      new AuthorizationRequest(
          "arn:aws:iam::111122223333:role/App",
          "111122223333",
          "kms:Encrypt",
          "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          Map.of(
              "kms:encryptioncontext:tenant", List.of("acme"),
              "kms:encryptioncontextkeys", List.of("tenant"),
              "kms:calleraccount", List.of("111122223333"),
              "aws:principalarn", List.of("arn:aws:iam::111122223333:role/App")));

  @Benchmark
  public boolean decide_threeStatementKeyPolicyAndIdentityPolicy() {
    return KmsAuthorizer.decide(encrypt, keyPolicy, identity, false).allowed();
  }

  @Benchmark
  public PolicyDocument parse_threeStatementKeyPolicy() {
    return PolicyDocument.parse(KEY_POLICY, PolicyDocument.Kind.KEY_POLICY);
  }
}
