package dev.keyhaven.kms.adapter.aws;

import io.quarkus.runtime.ExecutionMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * Secrets by reference in a deployed function (docs/serverless.md): with {@code
 * KMS_ROOT_KEY_SECRET} set to a Secrets Manager secret ARN (its SecretString is the base64 root
 * key) or an SSM SecureString parameter ARN, {@code kms.root-key} is read from it (through {@link
 * AwsSecrets}, on first use, once per process: the root key never changes under a database); with
 * {@code KMS_DATABASE_SECRET} set to a Secrets Manager secret holding {@code {"username": …,
 * "password": …}} (the shape RDS manages), the datasource's credentials provider is {@link
 * DatabaseSecretCredentials}, which the pool asks for every new connection, so a rotated password
 * or a restored snapshot gets the secret's current value.
 *
 * <p>Ordinal 275: above application.properties, below environment variables and system properties,
 * so an explicit {@code KMS_ROOT_KEY} still wins. Inactive during the build and when neither
 * variable is set (the server, the tests), so it never reaches out unless asked to.
 */
public class AwsSecretsConfigSource implements ConfigSource {
  /**
   * Registers the source (META-INF/services; a provider, so local mode's own source file stays).
   */
  public static final class Provider implements ConfigSourceProvider {
    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
      return List.of(new AwsSecretsConfigSource());
    }
  }

  static final String ROOT_KEY_SECRET = "KMS_ROOT_KEY_SECRET";
  static final String DATABASE_SECRET = "KMS_DATABASE_SECRET";

  /** The HSM user PIN (an HSM root of trust, docs/key-hierarchy.md), as the root key is read. */
  static final String PKCS11_PIN_SECRET = "KMS_PKCS11_PIN_SECRET";

  private static final String ROOT_KEY = "kms.root-key";
  private static final String PKCS11_PIN = "kms.pkcs11.pin";
  private static final String DB_PROVIDER = "quarkus.datasource.credentials-provider";
  private static final String DB_PROVIDER_BEAN = "quarkus.datasource.credentials-provider-name";

  private final Map<String, String> env;
  private final AwsSecrets secrets;
  private final Map<String, String> resolved = new ConcurrentHashMap<>();

  public AwsSecretsConfigSource() {
    this(System.getenv(), AwsSecrets.fromEnvironment());
  }

  AwsSecretsConfigSource(Map<String, String> env, AwsSecrets secrets) {
    this.env = env;
    this.secrets = secrets;
  }

  @Override
  public Set<String> getPropertyNames() {
    Set<String> names = new java.util.HashSet<>();
    if (active(ROOT_KEY_SECRET)) {
      names.add(ROOT_KEY);
    }
    if (active(PKCS11_PIN_SECRET)) {
      names.add(PKCS11_PIN);
    }
    if (active(DATABASE_SECRET)) {
      names.add(DB_PROVIDER);
      names.add(DB_PROVIDER_BEAN);
    }
    return names;
  }

  @Override
  public Map<String, String> getProperties() {
    return new HashMap<>();
  }

  @Override
  public String getValue(String name) {
    return switch (name) {
      case ROOT_KEY ->
          active(ROOT_KEY_SECRET)
              ? resolved.computeIfAbsent(name, n -> secrets.read(env.get(ROOT_KEY_SECRET)).strip())
              : null;
      case PKCS11_PIN ->
          active(PKCS11_PIN_SECRET)
              ? resolved.computeIfAbsent(
                  name, n -> secrets.read(env.get(PKCS11_PIN_SECRET)).strip())
              : null;
      case DB_PROVIDER, DB_PROVIDER_BEAN ->
          active(DATABASE_SECRET) ? DatabaseSecretCredentials.NAME : null;
      default -> null;
    };
  }

  @Override
  public int getOrdinal() {
    return 275;
  }

  @Override
  public String getName() {
    return "keyhaven-aws-secrets";
  }

  private boolean active(String variable) {
    String reference = env.get(variable);
    return reference != null
        && !reference.isBlank()
        && ExecutionMode.current() != ExecutionMode.UNSET;
  }
}
