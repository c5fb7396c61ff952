package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.operation.admin.CreateKey;
import dev.keyhaven.kms.operation.crypto.Decrypt;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every AWS KMS operation's request record ({@code <Operation>$Request} in {@code operation.admin}
 * and {@code operation.crypto}; the XKS proxy API's, in {@code operation.crypto.xks}, speak another
 * protocol), from the compiled packages.
 */
final class RequestTypes {
  private RequestTypes() {}

  /**
   * In the records' simple names' order, so a fuzz input's first byte always picks the same record
   * (the order the stored fuzz inputs were made with).
   */
  static List<Class<?>> all() {
    List<Class<?>> types = new ArrayList<>();
    for (Class<?> anchor : List.of(CreateKey.class, Decrypt.class)) {
      types.addAll(inPackageOf(anchor));
    }
    types.sort(Comparator.comparing(Class::getName, Comparator.comparing(RequestTypes::simple)));
    if (types.size() < 40) {
      throw new IllegalStateException("only " + types.size() + " request records");
    }
    return List.copyOf(types);
  }

  private static String simple(String binaryName) {
    return binaryName.substring(binaryName.lastIndexOf('.') + 1);
  }

  private static List<Class<?>> inPackageOf(Class<?> anchor) {
    try {
      Path dir =
          Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI())
              .resolve(anchor.getPackageName().replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        return files
            .map(f -> f.getFileName().toString())
            .filter(name -> name.endsWith("$Request.class"))
            .<Class<?>>map(file -> load(anchor.getPackageName(), file))
            .toList();
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> load(String packageName, String file) {
    try {
      return Class.forName(
          packageName + "." + file.substring(0, file.length() - ".class".length()));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
