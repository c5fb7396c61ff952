package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The production BC-FIPS adapters, built once per JVM without CDI (their constructors are
 * package-private, as for the container): {@code FipsKeyMaterialCrypto} on a fresh secret root key
 * — every port keyed by the root key — and {@code FipsAsymmetricCrypto}. The module runs in
 * approved-only mode (surefire sets {@code org.bouncycastle.fips.approved_only}); the key-material
 * adapter refuses to start otherwise.
 */
final class RealCrypto {
  static final Object KEY_MATERIAL = keyMaterial();
  static final Object ASYMMETRIC =
      construct(
          "dev.keyhaven.kms.adapter.fips.FipsAsymmetricCrypto",
          new Class<?>[] {boolean.class, boolean.class},
          false,
          true);

  private RealCrypto() {}

  private static Object keyMaterial() {
    byte[] root = new byte[32];
    new SecureRandom().nextBytes(root);
    String rootKey = Base64.getEncoder().encodeToString(root);
    KmsConfig config =
        (KmsConfig)
            Proxy.newProxyInstance(
                KmsConfig.class.getClassLoader(),
                new Class<?>[] {KmsConfig.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "rootOfTrust" -> RootOfTrust.SECRET;
                      case "rootKey" -> Optional.of(rootKey);
                      case "rootKeyFile" -> Optional.empty();
                      case "materialCacheMaxEntries" -> 1000;
                      case "materialCacheIdle" -> Duration.ofMinutes(5);
                      default ->
                          throw new UnsupportedOperationException(
                              "unit tests configure no " + method.getName());
                    });
    return construct(
        "dev.keyhaven.kms.adapter.fips.FipsKeyMaterialCrypto",
        new Class<?>[] {KmsConfig.class, Clock.class},
        config,
        Clock.systemUTC());
  }

  private static Object construct(String className, Class<?>[] parameters, Object... arguments) {
    try {
      var constructor = Class.forName(className).getDeclaredConstructor(parameters);
      constructor.setAccessible(true);
      return constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + className, e);
    }
  }
}
