package dev.keyhaven.kms.protocol;

import dev.keyhaven.kms.operation.crypto.Decrypt;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Every operation's request record ({@code operation.*$Request}), from the compiled package. */
final class RequestTypes {
  private RequestTypes() {}

  /** In name order, so a fuzz input's first byte always picks the same record. */
  static List<Class<?>> all() {
    try {
      Path dir =
          Path.of(Decrypt.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .resolve(Decrypt.class.getPackageName().replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        List<Class<?>> types =
            files
                .map(f -> f.getFileName().toString())
                .filter(name -> name.endsWith("$Request.class"))
                .sorted()
                .<Class<?>>map(RequestTypes::load)
                .toList();
        if (types.size() < 40) {
          throw new IllegalStateException("only " + types.size() + " request records in " + dir);
        }
        return types;
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> load(String file) {
    try {
      return Class.forName(
          Decrypt.class.getPackageName()
              + "."
              + file.substring(0, file.length() - ".class".length()));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
