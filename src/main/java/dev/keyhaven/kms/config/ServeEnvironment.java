package dev.keyhaven.kms.config;

import io.quarkus.runtime.ExecutionMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * The production server's short environment names (docs/self-hosting.md, "Configuration reference")
 * as the Quarkus settings they stand for, so {@code ./kms serve} and a plain {@code java -jar
 * quarkus-run.jar} (the container image) read the same environment the same way.
 *
 * <p>Contract: active only in the serve build ({@link FunctionScope#SERVE}) at run time; then
 *
 * <ul>
 *   <li>{@code KMS_TLS_CERT}, {@code KMS_TLS_KEY} (PEM) and {@code KMS_TLS_PKCS12} (+ {@code
 *       KMS_TLS_PKCS12_PASSWORD} or {@code KMS_TLS_PKCS12_PASSWORD_FILE}) configure TLS on the one
 *       listener: its port is {@code KMS_PORT} (default 8443) and the plain listener is disabled;
 *   <li>{@code KMS_PLAIN_HTTP} is {@code kms.serve.plain-http};
 *   <li>{@code KMS_TRUSTED_PROXIES} turns on {@code X-Forwarded-For} from those addresses only;
 *   <li>{@code KMS_DATABASE_PASSWORD_FILE} is read into {@code quarkus.datasource.password} (its
 *       trailing line break dropped).
 * </ul>
 *
 * <p>A secret file is read once, when the configuration is assembled; its content is a property
 * value only — never in a name, a message or {@link #toString()}. An unreadable file contributes
 * nothing, and {@link ServeConfigCheck} refuses the start naming the variable and the path. Ordinal
 * 350: above environment variables (300), so these names decide what they stand for as {@code ./kms
 * serve}'s command-line properties did, and below system properties (400).
 */
public class ServeEnvironment implements ConfigSource {
  /** Registers the source (META-INF/services) in the serve build at run time, else nothing. */
  public static final class Provider implements ConfigSourceProvider {
    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
      if (ExecutionMode.current() == ExecutionMode.UNSET
          || FunctionScope.current() != FunctionScope.SERVE) {
        return List.of();
      }
      return List.of(new ServeEnvironment(System.getenv()));
    }
  }

  /** The environment variables whose value is the path of a secret file. */
  static final List<String> SECRET_FILES =
      List.of("KMS_DATABASE_PASSWORD_FILE", "KMS_TLS_PKCS12_PASSWORD_FILE");

  private static final String SSL = "quarkus.http.ssl.certificate.";
  private static final String PROXY = "quarkus.http.proxy.";

  private final Map<String, String> properties;

  ServeEnvironment(Map<String, String> env) {
    this.properties = Map.copyOf(properties(env));
  }

  /** The Quarkus properties {@code env} stands for (secrets read from their files). */
  static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    Optional<String> cert = set(env, "KMS_TLS_CERT");
    Optional<String> key = set(env, "KMS_TLS_KEY");
    Optional<String> pkcs12 = set(env, "KMS_TLS_PKCS12");
    if (cert.isPresent() || key.isPresent() || pkcs12.isPresent()) {
      out.put("quarkus.http.insecure-requests", "disabled");
      out.put("quarkus.http.ssl-port", set(env, "KMS_PORT").orElse("8443"));
      cert.ifPresent(v -> out.put(SSL + "files", v));
      key.ifPresent(v -> out.put(SSL + "key-files", v));
      pkcs12.ifPresent(v -> out.put(SSL + "key-store-file", v));
      pkcs12.ifPresent(v -> out.put(SSL + "key-store-file-type", "PKCS12"));
      set(env, "KMS_TLS_PKCS12_PASSWORD")
          .or(() -> secretFile(env, "KMS_TLS_PKCS12_PASSWORD_FILE"))
          .ifPresent(v -> out.put(SSL + "key-store-password", v));
    }
    set(env, "KMS_PLAIN_HTTP").ifPresent(v -> out.put("kms.serve.plain-http", v));
    set(env, "KMS_TRUSTED_PROXIES")
        .ifPresent(
            v -> {
              out.put(PROXY + "proxy-address-forwarding", "true");
              out.put(PROXY + "allow-x-forwarded", "true");
              out.put(PROXY + "trusted-proxies", v);
            });
    secretFile(env, "KMS_DATABASE_PASSWORD_FILE")
        .ifPresent(v -> out.put("quarkus.datasource.password", v));
    return out;
  }

  /** The variable names a secret file that does not exist or cannot be read. */
  static boolean unreadable(String path) {
    return !Files.isRegularFile(Path.of(path)) || !Files.isReadable(Path.of(path));
  }

  private static Optional<String> secretFile(Map<String, String> env, String variable) {
    Optional<String> path = set(env, variable);
    if (path.isEmpty() || unreadable(path.get())) {
      return Optional.empty();
    }
    try {
      String content = Files.readString(Path.of(path.get()), StandardCharsets.UTF_8);
      return Optional.of(content.replaceFirst("[\r\n]+$", ""));
    } catch (IOException e) {
      return Optional.empty(); // raced away since the check: ServeConfigCheck names it
    }
  }

  private static Optional<String> set(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public String getValue(String name) {
    return properties.get(name);
  }

  @Override
  public int getOrdinal() {
    return 350;
  }

  @Override
  public String getName() {
    return "keyhaven-serve-environment";
  }

  @Override
  public String toString() {
    return getName() + getPropertyNames();
  }
}
