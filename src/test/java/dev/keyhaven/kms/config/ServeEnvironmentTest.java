package dev.keyhaven.kms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve build's short environment names become the Quarkus settings they stand for. */
class ServeEnvironmentTest {
  @TempDir Path dir;

  @Test
  void nothingSet_nothingMapped() {
    assertEquals(Map.of(), ServeEnvironment.properties(Map.of()));
  }

  @Test
  void pem_enablesTlsOnlyOnKmsPort() {
    Map<String, String> p =
        ServeEnvironment.properties(
            Map.of(
                "KMS_TLS_CERT", "/tls/crt.pem", "KMS_TLS_KEY", "/tls/key.pem", "KMS_PORT", "9443"));
    assertEquals(
        Map.of(
            "quarkus.http.insecure-requests", "disabled",
            "quarkus.http.ssl-port", "9443",
            "quarkus.http.ssl.certificate.files", "/tls/crt.pem",
            "quarkus.http.ssl.certificate.key-files", "/tls/key.pem"),
        p);
  }

  @Test
  void pkcs12_withPasswordFromFile_defaultPort8443() throws IOException {
    Path password = Files.writeString(dir.resolve("p12-password"), "s3cret\n");
    Map<String, String> p =
        ServeEnvironment.properties(
            Map.of(
                "KMS_TLS_PKCS12",
                "/tls/ks.p12",
                "KMS_TLS_PKCS12_PASSWORD_FILE",
                password.toString()));
    assertEquals("8443", p.get("quarkus.http.ssl-port"));
    assertEquals("PKCS12", p.get("quarkus.http.ssl.certificate.key-store-file-type"));
    assertEquals("/tls/ks.p12", p.get("quarkus.http.ssl.certificate.key-store-file"));
    assertEquals("s3cret", p.get("quarkus.http.ssl.certificate.key-store-password"));
  }

  @Test
  void pkcs12Password_fromEnvironment_keptExactly() {
    Map<String, String> p =
        ServeEnvironment.properties(
            Map.of("KMS_TLS_PKCS12", "/ks.p12", "KMS_TLS_PKCS12_PASSWORD", " a b "));
    assertEquals(" a b ", p.get("quarkus.http.ssl.certificate.key-store-password"));
  }

  @Test
  void plainHttpAndTrustedProxies() {
    Map<String, String> p =
        ServeEnvironment.properties(
            Map.of("KMS_PLAIN_HTTP", "true", "KMS_TRUSTED_PROXIES", "10.0.0.5,10.1.0.0/16"));
    assertEquals(
        Map.of(
            "kms.serve.plain-http", "true",
            "quarkus.http.proxy.proxy-address-forwarding", "true",
            "quarkus.http.proxy.allow-x-forwarded", "true",
            "quarkus.http.proxy.trusted-proxies", "10.0.0.5,10.1.0.0/16"),
        p);
  }

  @Test
  void databasePasswordFile_readWithoutItsLineBreak() throws IOException {
    Path file = Files.writeString(dir.resolve("db-password"), "pa ss\r\n");
    Map<String, String> p =
        ServeEnvironment.properties(Map.of("KMS_DATABASE_PASSWORD_FILE", file.toString()));
    assertEquals(Map.of("quarkus.datasource.password", "pa ss"), p);
  }

  @Test
  void unreadableSecretFile_mapsNothing_andTheCheckNamesIt() {
    String missing = dir.resolve("missing").toString();
    Map<String, String> env =
        Map.of(
            "KMS_DATABASE_PASSWORD_FILE", missing, "KMS_TLS_PKCS12_PASSWORD_FILE", dir.toString());
    assertEquals(Map.of(), ServeEnvironment.properties(env));
    List<String> problems = ServeConfigCheck.problems(name -> Optional.ofNullable(env.get(name)));
    assertTrue(
        problems.contains(
            "KMS_DATABASE_PASSWORD_FILE "
                + missing
                + ": not readable (a file holding the secret, e.g. a mounted secret)"),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(m -> m.startsWith("KMS_TLS_PKCS12_PASSWORD_FILE " + dir)),
        problems.toString());
  }

  @Test
  void secretsNeverInNameOrToString() throws IOException {
    Path file = Files.writeString(dir.resolve("db-password"), "TOPSECRET-db");
    ServeEnvironment source =
        new ServeEnvironment(
            Map.of(
                "KMS_DATABASE_PASSWORD_FILE",
                file.toString(),
                "KMS_TLS_PKCS12",
                "/ks.p12",
                "KMS_TLS_PKCS12_PASSWORD",
                "TOPSECRET-p12"));
    assertEquals("TOPSECRET-db", source.getValue("quarkus.datasource.password"));
    assertFalse(source.toString().contains("TOPSECRET"), source.toString());
    assertFalse(source.getName().contains("TOPSECRET"));
    assertEquals(350, source.getOrdinal());
  }

  /** A configuration whose TLS and database password come only from the short names passes. */
  @Test
  void mappedTlsSettings_satisfyServeConfigCheck() throws IOException {
    Path db = Files.writeString(dir.resolve("db"), "pw\n");
    Map<String, String> env =
        Map.of("KMS_TLS_PKCS12", "/ks.p12", "KMS_DATABASE_PASSWORD_FILE", db.toString());
    Map<String, String> config = ServeConfigCheckTest.complete(dir);
    config.remove("quarkus.http.ssl.certificate.files");
    config.remove("quarkus.http.ssl.certificate.key-files");
    config.remove("quarkus.http.insecure-requests");
    config.putAll(env);
    config.putAll(ServeEnvironment.properties(env));
    assertEquals(
        List.of(), ServeConfigCheck.problems(name -> Optional.ofNullable(config.get(name))));
  }
}
