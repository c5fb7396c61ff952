import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step of every build (phase process-classes): {@code java -cp <classes>:<dependencies>
 * src/build/ReflectionConfig.java <classes>}.
 *
 * <p>Contract: writes the native-image reflection configuration of the operations this build
 * compiled — every record under {@code dev.keyhaven.kms.operation} (the wire records, which {@code
 * JsonCodec} and {@code AuditParameters} read and write reflectively, and the job's {@code
 * Summary}) and every {@code KmsOperation} class (whose {@code @Action} and type arguments {@code
 * OperationDeclaration} reads at startup) — to {@value #REFLECT_CONFIG}, where GraalVM reads it
 * from the application jar. A new operation's records are registered by being compiled; a function
 * build compiles only its own plane's packages (pom.xml), so it registers only those.
 * NativeRegistrationTest checks the file against the operation beans.
 *
 * <p>Why a build step: Quarkus registers classes for reflection by annotation
 * ({@code @RegisterForReflection}, one per class, and a framework import in the operation layer) or
 * through an extension's build step; neither discovers "every record of these packages" by itself.
 * Not part of any artifact: the single-file source launcher compiles it in memory.
 */
public class ReflectionConfig {
  static final String REFLECT_CONFIG =
      "META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json";

  public static void main(String[] args) throws Exception {
    Path classes = Path.of(args[0]);
    ClassLoader loader = ReflectionConfig.class.getClassLoader();
    Class<?> operation = Class.forName("dev.keyhaven.kms.operation.KmsOperation", false, loader);
    List<String> registered = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes.resolve("dev/keyhaven/kms/operation"))) {
      for (Path file : files.sorted().toList()) {
        String path = classes.relativize(file).toString().replace('\\', '/');
        if (!path.endsWith(".class")) {
          continue;
        }
        String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        Class<?> type = Class.forName(name, false, loader);
        if (type.isRecord() || (!type.isInterface() && operation.isAssignableFrom(type))) {
          registered.add(name);
        }
      }
    }
    StringBuilder json = new StringBuilder("[\n");
    for (String name : registered) {
      json.append(json.length() > 2 ? ",\n" : "")
          .append("  {\"name\": \"")
          .append(name)
          .append("\", \"allDeclaredConstructors\": true, \"allPublicConstructors\": true,")
          .append(" \"allDeclaredMethods\": true, \"allPublicMethods\": true,")
          .append(" \"allDeclaredFields\": true, \"allPublicFields\": true,")
          .append(" \"queryAllDeclaredMethods\": true, \"queryAllDeclaredConstructors\": true}");
    }
    Path out = classes.resolve(REFLECT_CONFIG);
    Files.createDirectories(out.getParent());
    Files.writeString(out, json.append("\n]\n"));
    System.out.println("[reflection] " + registered.size() + " operation classes and records");
  }
}
