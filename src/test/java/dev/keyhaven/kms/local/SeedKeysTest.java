package dev.keyhaven.kms.local;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Seeded keys (issue 21, part 4; docs/configuration.md, "Seeded keys"): a seed file's keys are
 * created with their fixed ids, aliases, description, tags, policy, rotation and imported material
 * — each action a service event — and left alone on a later start, with the differences reported; a
 * file with any problem is refused whole, each problem naming its field.
 */
@QuarkusTest
class SeedKeysTest {
  private static final String PARTITION = "aws";
  private static final String REGION = "us-east-1";

  @Inject SeedKeys seeds;
  @Inject Pool pool;

  private final KmsApi kms = KmsApi.newAccount();

  @Test
  void seed_everyKindOfKey_createdAsWrittenAndAudited() throws Throwable {
    String symmetric = UUID.randomUUID().toString();
    String importedAes = UUID.randomUUID().toString();
    String rsa = UUID.randomUUID().toString();
    String ecc = UUID.randomUUID().toString();
    String hmac = UUID.randomUUID().toString();
    String ed25519 = UUID.randomUUID().toString();
    byte[] aesKey = random(32);
    byte[] hmacKey = random(32);
    KeyPair rsaPair = pair("RSA", 2048);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair eccPair = ec.generateKeyPair();
    KeyPair edPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"seeded\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + kms.accountId()
            + ":root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    String yaml =
        "Keys:\n"
            + "  - KeyId: "
            + symmetric
            + "\n"
            + "    Description: orders\n"
            + "    Aliases: [alias/seed-orders-"
            + symmetric
            + "]\n"
            + "    Tags: {team: payments, env: ci}\n"
            + "    Policy: '"
            + policy
            + "'\n"
            + "    RotationPeriodInDays: 180\n"
            + "  - KeyId: "
            + importedAes
            + "\n"
            + "    KeyMaterial: "
            + b64(aesKey)
            + "\n"
            + "  - KeyId: "
            + rsa
            + "\n"
            + "    KeySpec: RSA_2048\n"
            + "    KeyUsage: SIGN_VERIFY\n"
            + "    KeyMaterial: |\n"
            + indent(pem(rsaPair.getPrivate().getEncoded()), 6)
            + "  - KeyId: "
            + ecc
            + "\n"
            + "    KeySpec: ECC_NIST_P256\n"
            + "    KeyUsage: SIGN_VERIFY\n"
            + "    KeyMaterial: "
            + b64(eccPair.getPrivate().getEncoded())
            + "\n"
            + "  - KeyId: "
            + hmac
            + "\n"
            + "    KeySpec: HMAC_256\n"
            + "    KeyUsage: GENERATE_VERIFY_MAC\n"
            + "    KeyMaterial: "
            + b64(hmacKey)
            + "\n"
            + "  - KeyId: "
            + ed25519
            + "\n"
            + "    KeySpec: ECC_NIST_EDWARDS25519\n"
            + "    KeyUsage: SIGN_VERIFY\n"
            + "    KeyMaterial: |\n"
            + indent(pem(edPair.getPrivate().getEncoded()), 6);

    List<String> report = seeds.apply(yaml, "seed.yaml", PARTITION, REGION, kms.accountId());
    assertEquals(7, report.size(), () -> "six keys and one alias created: " + report);

    kms.call("DescribeKey", Map.of("KeyId", "alias/seed-orders-" + symmetric))
        .statusCode(200)
        .body("KeyMetadata.KeyId", equalTo(symmetric))
        .body("KeyMetadata.Description", equalTo("orders"))
        .body("KeyMetadata.Origin", equalTo("AWS_KMS"));
    kms.call("ListResourceTags", Map.of("KeyId", symmetric))
        .statusCode(200)
        .body("Tags.size()", equalTo(2))
        .body("Tags.find { it.TagKey == 'team' }.TagValue", equalTo("payments"));
    kms.call("GetKeyPolicy", Map.of("KeyId", symmetric, "PolicyName", "default"))
        .statusCode(200)
        .body("Policy", equalTo(policy));
    kms.call("GetKeyRotationStatus", Map.of("KeyId", symmetric))
        .statusCode(200)
        .body("KeyRotationEnabled", equalTo(true))
        .body("RotationPeriodInDays", equalTo(180));
    String blob =
        kms.call("Encrypt", Map.of("KeyId", importedAes, "Plaintext", KmsApi.b64(new byte[] {7})))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    kms.call("Decrypt", Map.of("CiphertextBlob", blob)).statusCode(200);
    kms.call("DescribeKey", Map.of("KeyId", importedAes))
        .statusCode(200)
        .body("KeyMetadata.Origin", equalTo("EXTERNAL"))
        .body("KeyMetadata.KeyState", equalTo("Enabled"))
        .body("KeyMetadata.ExpirationModel", equalTo("KEY_MATERIAL_DOES_NOT_EXPIRE"));
    // The imported key pairs are the file's: GetPublicKey answers their public halves.
    assertArrayEquals(rsaPair.getPublic().getEncoded(), publicKey(rsa));
    assertArrayEquals(eccPair.getPublic().getEncoded(), publicKey(ecc));
    assertArrayEquals(edPair.getPublic().getEncoded(), publicKey(ed25519));
    byte[] message = "seeded".getBytes();
    Mac jdk = Mac.getInstance("HmacSHA256");
    jdk.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
    String mac =
        kms.call(
                "GenerateMac",
                Map.of(
                    "KeyId", hmac, "Message", KmsApi.b64(message), "MacAlgorithm", "HMAC_SHA_256"))
            .statusCode(200)
            .extract()
            .path("Mac");
    assertArrayEquals(jdk.doFinal(message), KmsApi.unb64(mac), "the file's HMAC key");

    assertEquals(
        List.of("CreateKey", "EnableKeyRotation", "CreateAlias"), serviceEvents(symmetric));
    assertEquals(List.of("CreateKey", "ImportKeyMaterial"), serviceEvents(importedAes));
    assertEquals(List.of("CreateKey", "ImportKeyMaterial"), serviceEvents(ed25519));
    KmsApi.operator()
        .callAdmin("VerifyAuditTrail", Map.of())
        .statusCode(200)
        .body("Valid", equalTo(true));
  }

  @Test
  void seed_secondStart_leavesKeysAloneAndReportsDifferences() throws Throwable {
    String keyId = UUID.randomUUID().toString();
    String alias = "alias/seed-again-" + keyId;
    String first =
        "Keys:\n  - KeyId: " + keyId + "\n    Description: first\n    Aliases: [" + alias + "]\n";
    seeds.apply(first, "seed.yaml", PARTITION, REGION, kms.accountId());
    assertEquals(
        List.of("key " + keyId + " exists and matches the file"),
        seeds.apply(first, "seed.yaml", PARTITION, REGION, kms.accountId()));

    kms.call("DeleteAlias", Map.of("AliasName", alias)).statusCode(200);
    String changed =
        "Keys:\n  - KeyId: "
            + keyId
            + "\n    Description: second\n    Aliases: ["
            + alias
            + "]\n"
            + "    Tags: {k: v}\n";
    List<String> report = seeds.apply(changed, "seed.yaml", PARTITION, REGION, kms.accountId());
    assertEquals(3, report.size(), report::toString);
    assertTrue(
        report.get(0).contains("Description differs: the file says 'second', the key has 'first'"),
        report::toString);
    assertTrue(report.get(1).contains("Tags differ"), report::toString);
    assertTrue(report.get(2).contains("alias " + alias + " does not exist"), report::toString);
    kms.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.Description", equalTo("first"));
    kms.call("DescribeKey", Map.of("KeyId", alias)).statusCode(400);
    assertEquals(
        List.of("CreateKey", "CreateAlias"), serviceEvents(keyId), "nothing audited: nothing done");
  }

  // A strict parser: every problem named by its field, and nothing created.
  @Test
  void seed_withProblems_refusedWholeNamingEachField() {
    String good = UUID.randomUUID().toString();
    String yaml =
        "Keys:\n"
            + "  - KeyId: "
            + good
            + "\n"
            + "  - KeyId: "
            + UUID.randomUUID()
            + "\n"
            + "    Tagz: {a: b}\n"
            + "  - KeyId: not-a-uuid\n"
            + "  - KeyId: "
            + UUID.randomUUID()
            + "\n"
            + "    KeySpec: AES_256\n"
            + "  - KeyId: "
            + UUID.randomUUID()
            + "\n"
            + "    KeySpec: RSA_2048\n"
            + "  - KeyId: "
            + UUID.randomUUID()
            + "\n"
            + "    KeySpec: ECC_SECG_P256K1\n"
            + "    KeyUsage: ENCRYPT_DECRYPT\n"
            + "  - KeyId: "
            + UUID.randomUUID()
            + "\n"
            + "    KeySpec: HMAC_256\n"
            + "    KeyUsage: GENERATE_VERIFY_MAC\n"
            + "    KeyMaterial: "
            + b64(random(3))
            + "\n"
            + "  - KeyId: "
            + UUID.randomUUID()
            + "\n"
            + "    Aliases: [alias/aws/reserved]\n"
            + "    Tags: {count: 3}\n"
            + "    RotationPeriodInDays: 30\n"
            + "    Policy: '{\"Statement\": 1}'\n";
    SeedFile.Problems parse =
        assertThrows(
            SeedFile.Problems.class,
            () -> seeds.apply(yaml, "bad.yaml", PARTITION, REGION, kms.accountId()));
    List<String> problems = parse.problems;
    assertEquals(4, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("Keys[1].Tagz: unknown field"), problems::toString);
    assertTrue(
        problems.get(1).startsWith("Keys[2].KeyId: 'not-a-uuid' is not a key id"),
        problems::toString);
    assertTrue(
        problems.get(2).startsWith("Keys[3].KeySpec: 'AES_256' is not one of"), problems::toString);
    assertTrue(
        problems.get(3).startsWith("Keys[7].Tags.count: must be a string"), problems::toString);

    String semantic =
        yaml.replace("    Tagz: {a: b}\n", "")
            .replace("not-a-uuid", UUID.randomUUID().toString())
            .replace("AES_256", "SYMMETRIC_DEFAULT")
            .replace("{count: 3}", "{count: '3'}");
    SeedFile.Problems rules =
        assertThrows(
            SeedFile.Problems.class,
            () -> seeds.apply(semantic, "bad.yaml", PARTITION, REGION, kms.accountId()));
    List<String> found = new ArrayList<>(rules.problems);
    assertEquals(6, found.size(), found::toString);
    assertTrue(found.get(0).startsWith("Keys[4].KeyUsage: required"), found::toString);
    assertTrue(
        found.get(1).startsWith("Keys[5].KeyUsage: ENCRYPT_DECRYPT is not compatible"),
        found::toString);
    assertTrue(
        found
            .get(2)
            .startsWith(
                "Keys[6].KeyMaterial: Key material for key spec HMAC_256 must be 32 to 64 bytes long."),
        found::toString);
    assertTrue(found.get(3).startsWith("Keys[7].Policy: "), found::toString);
    assertTrue(found.get(4).startsWith("Keys[7].Aliases: alias/aws/reserved: "), found::toString);
    assertTrue(
        found.get(5).startsWith("Keys[7].RotationPeriodInDays: must be 90 to 2560"),
        found::toString);

    kms.call("DescribeKey", Map.of("KeyId", good))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
  }

  @Test
  void seedFile_duplicateYamlKeysAndOtherMembers_refused() {
    String yaml =
        "Keys:\n  - KeyId: "
            + UUID.randomUUID()
            + "\n    KeyId: "
            + UUID.randomUUID()
            + "\nExtra: 1\n";
    SeedFile.Problems e = assertThrows(SeedFile.Problems.class, () -> SeedFile.parse(yaml));
    assertTrue(e.problems.get(0).contains("duplicate key KeyId"), e.problems::toString);
    SeedFile.Problems other =
        assertThrows(SeedFile.Problems.class, () -> SeedFile.parse("Keys: []\nExtra: 1\n"));
    assertEquals(List.of("Extra: unknown member (the file has one: Keys)"), other.problems);
  }

  /** The seeded service events of a key, oldest first. */
  private List<String> serviceEvents(String keyId) {
    List<String> names = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "SELECT event_name, event_json FROM audit_event WHERE key_arn = $1"
                    + " AND event_json LIKE '%\"eventType\":\"AwsServiceEvent\"%' ORDER BY chain_id, seq")
            .execute(Tuple.of(kms.arnOf(keyId)))
            .await()
            .atMost(Duration.ofSeconds(10))) {
      assertTrue(row.getString(1).contains("\"seedFile\":\"seed.yaml\""), row.getString(1));
      names.add(row.getString(0));
    }
    return names;
  }

  private byte[] publicKey(String keyId) {
    return KmsApi.unb64(
        kms.call("GetPublicKey", Map.of("KeyId", keyId))
            .statusCode(200)
            .extract()
            .path("PublicKey"));
  }

  private static KeyPair pair(String algorithm, int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    g.initialize(bits);
    return g.generateKeyPair();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.lines().map(l -> pad + l + "\n").reduce("", String::concat);
  }
}
