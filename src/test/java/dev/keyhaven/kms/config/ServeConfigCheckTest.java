package dev.keyhaven.kms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./kms serve refuses an incomplete or unsafe configuration, one message per problem. */
class ServeConfigCheckTest {
  @TempDir Path dir;

  private Map<String, String> complete() throws IOException {
    return complete(dir);
  }

  /** A complete serve configuration (PEM TLS), its root key file written in {@code dir}. */
  static Map<String, String> complete(Path dir) throws IOException {
    Path rootKey = Files.writeString(dir.resolve("root.key"), "AAAA");
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.datasource.reactive.url", "postgresql://db.example:5432/keyhaven");
    config.put("quarkus.datasource.username", "keyhaven");
    config.put("mp.jwt.verify.issuer", "https://login.example.com");
    config.put("mp.jwt.verify.audiences", "keyhaven");
    config.put("mp.jwt.verify.publickey.location", "https://login.example.com/jwks.json");
    config.put("kms.root-key-file", rootKey.toString());
    config.put("quarkus.http.ssl.certificate.files", "/etc/keyhaven/tls.crt");
    config.put("quarkus.http.ssl.certificate.key-files", "/etc/keyhaven/tls.key");
    config.put("quarkus.http.insecure-requests", "disabled");
    config.put("kms.audit.operator-accounts", "111122223333");
    return config;
  }

  private static List<String> problems(Map<String, String> config) {
    return ServeConfigCheck.problems(name -> Optional.ofNullable(config.get(name)));
  }

  private static void assertOneProblem(Map<String, String> config, String expected) {
    List<String> problems = problems(config);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(expected), problems.get(0));
  }

  @Test
  void complete_tls_accepted() throws IOException {
    assertEquals(List.of(), problems(complete()));
  }

  @Test
  void complete_plainHttpBehindTrustedProxies_accepted() throws IOException {
    Map<String, String> config = complete();
    config.remove("quarkus.http.ssl.certificate.files");
    config.remove("quarkus.http.ssl.certificate.key-files");
    config.remove("quarkus.http.insecure-requests");
    config.put("kms.serve.plain-http", "true");
    config.put("quarkus.http.proxy.proxy-address-forwarding", "true");
    config.put("quarkus.http.proxy.allow-x-forwarded", "true");
    config.put("quarkus.http.proxy.trusted-proxies", "10.0.0.5");
    assertEquals(List.of(), problems(config));
    config.remove("quarkus.http.proxy.trusted-proxies");
    assertOneProblem(config, "KMS_TRUSTED_PROXIES");
  }

  @Test
  void xksMutualTls_readableCaFile_accepted() throws IOException {
    Map<String, String> config = complete();
    config.put("kms.xks.mtls.ca-file", Files.writeString(dir.resolve("ca.pem"), "PEM").toString());
    assertEquals(List.of(), problems(config));
  }

  @Test
  void xksMutualTls_unreadableCaFile_refusedWithOneMessage() throws IOException {
    Map<String, String> config = complete();
    config.put("kms.xks.mtls.ca-file", dir.resolve("missing-ca.pem").toString());
    assertOneProblem(
        config,
        "KMS_XKS_MTLS_CA_FILE "
            + dir.resolve("missing-ca.pem")
            + " (kms.xks.mtls.ca-file) does not exist or is not readable");
    config.put("kms.xks.mtls.ca-file", dir.toString()); // a directory
    assertOneProblem(config, "does not exist or is not readable");
  }

  @Test
  void xksMutualTls_behindTlsTerminatingProxy_refused() throws IOException {
    Map<String, String> config = complete();
    config.remove("quarkus.http.ssl.certificate.files");
    config.remove("quarkus.http.ssl.certificate.key-files");
    config.remove("quarkus.http.insecure-requests");
    config.put("kms.serve.plain-http", "true");
    config.put("kms.xks.mtls.ca-file", Files.writeString(dir.resolve("ca.pem"), "PEM").toString());
    assertOneProblem(config, "needs the server's own TLS");
  }

  @Test
  void nothingConfigured_everyProblemNamed() {
    List<String> problems = problems(Map.of());
    assertEquals(8, problems.size(), problems.toString());
    for (String setting :
        List.of(
            "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_USERNAME",
            "MP_JWT_VERIFY_ISSUER",
            "MP_JWT_VERIFY_AUDIENCES",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "KMS_ROOT_KEY_FILE",
            "KMS_PLAIN_HTTP=true",
            "KMS_AUDIT_OPERATOR_ACCOUNTS")) {
      assertTrue(problems.stream().anyMatch(p -> p.contains(setting)), setting + " in " + problems);
    }
  }

  @Test
  void plainHttpWithoutTheFlag_refused() throws IOException {
    Map<String, String> config = complete();
    config.remove("quarkus.http.ssl.certificate.files");
    config.remove("quarkus.http.ssl.certificate.key-files");
    assertOneProblem(config, "no TLS");
  }

  @Test
  void tlsWithThePlainListenerOpen_refused() throws IOException {
    Map<String, String> config = complete();
    config.remove("quarkus.http.insecure-requests");
    assertOneProblem(config, "quarkus.http.insecure-requests=disabled");
    config.put("quarkus.http.insecure-requests", "disabled");
    config.put("kms.serve.plain-http", "true");
    assertOneProblem(config, "choose one");
  }

  @Test
  void devOnlySettings_refused() throws IOException {
    for (Map.Entry<String, String> dev :
        Map.of(
                "kms.seed", "/tmp/seed.yaml",
                "kms.data-dir", "/tmp/data",
                "kms.identity.dev-test-credentials", "true",
                "kms.bench.floor-endpoint", "true",
                "mp.jwt.verify.issuer", ServeConfigCheck.DEV_ISSUER)
            .entrySet()) {
      Map<String, String> config = complete();
      config.put(dev.getKey(), dev.getValue());
      assertOneProblem(config, dev.getKey());
    }
  }

  @Test
  void missingRootKeyFile_refusedNeverCreated() throws IOException {
    Map<String, String> config = complete();
    Path missing = dir.resolve("missing.key");
    config.put("kms.root-key-file", missing.toString());
    assertOneProblem(config, "never creates a root key");
    assertTrue(Files.notExists(missing));
    config.put("kms.root-of-trust", "pkcs11");
    assertOneProblem(config, "KMS_PKCS11_LIBRARY");
    config.put("kms.pkcs11.library", "/usr/lib/softhsm/libsofthsm2.so");
    config.put("kms.pkcs11.pin", "1234");
    assertEquals(List.of(), problems(config));
  }

  @Test
  void secretsByReference_countAsConfigured() throws IOException {
    Map<String, String> config = complete();
    config.remove("kms.root-key-file");
    config.remove("quarkus.datasource.username");
    config.put("KMS_ROOT_KEY_SECRET", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:root");
    config.put("KMS_DATABASE_SECRET", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db");
    assertEquals(List.of(), problems(config));
  }

  @Test
  void jwksOverPlainHttp_onlyOnLoopback() throws IOException {
    Map<String, String> config = complete();
    config.put("mp.jwt.verify.publickey.location", "http://127.0.0.1:18080/jwks");
    assertEquals(List.of(), problems(config));
    config.put("mp.jwt.verify.publickey.location", "http://login.example.com/jwks");
    assertOneProblem(config, "plain HTTP to another host");
    config.put("mp.jwt.verify.publickey.location", "https://login.example.com/jwks");
    config.put(
        "kms.identity.additional-issuers",
        "https://b.example|https://b.example/jwks,https://c.example|http://c.example/jwks");
    assertOneProblem(config, "http://c.example/jwks is plain HTTP");
    config.put("kms.identity.additional-issuers", "https://b.example");
    assertOneProblem(config, "is not <issuer>|<JWKS URL>");
  }
}
