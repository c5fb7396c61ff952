import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.domain.key.KmsAction;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build step of every Lambda function build (the Maven {@code lambda} profile, phase
 * process-classes): {@code java -cp <classes> src/build/PruneOperations.java <fn> <classes>}.
 *
 * <p>Contract: afterwards the compiled classes hold exactly the operations that {@link
 * FunctionScope#serves} grants this function — decided by {@code KmsAction.plane()}, never by a
 * list of names — so the artifact built from them contains no other operation's code. An operation
 * class is the class named after its action's wire name ({@code Encrypt} for {@code
 * KmsAction.ENCRYPT}, house style rule 1; {@code xks.XksEncrypt} for the XKS proxy API's {@code
 * KmsAction.XKS_ENCRYPT}); it is deleted with its nested classes. The build fails when
 *
 * <ul>
 *   <li>a class implementing {@code KmsOperation} is not named after a {@code KmsAction} (the split
 *       could not place it), or
 *   <li>a class that stays still refers to a deleted one (shared code must not depend on one
 *       plane's operation), found in the class files' constant pools.
 * </ul>
 *
 * <p>Then it writes the native-image reflection configuration of what stays: every record class
 * under {@code dev.keyhaven.kms.operation} (the wire records, which {@code JsonCodec} and {@code
 * AuditParameters} read and write reflectively, and the job's {@code Summary}) and every operation
 * class (whose {@code @Action} and {@code KmsOperation} type arguments {@code OperationDeclaration}
 * reads at startup) go into {@value #REFLECT_CONFIG}, which GraalVM reads from the application jar.
 * A new operation's records are registered by being there; {@code NativeRegistrationTest} checks
 * the file.
 *
 * <p>Not part of any artifact: the single-file source launcher compiles it in memory.
 */
public class PruneOperations {
  private static final String OPERATION_PACKAGE = "dev/keyhaven/kms/operation/";
  private static final String KMS_OPERATION = OPERATION_PACKAGE + "KmsOperation";
  static final String REFLECT_CONFIG =
      "META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json";

  /**
   * The class of an action's operation: {@code operation/<wireName>}; the XKS proxy API's, whose
   * wire names repeat AWS KMS's, {@code operation/xks/Xks<wireName>}.
   */
  static String operationClass(KmsAction action) {
    return action.service() == KmsAction.Service.XKS
        ? OPERATION_PACKAGE + "xks/Xks" + action.wireName()
        : OPERATION_PACKAGE + action.wireName();
  }

  public static void main(String[] args) throws IOException {
    FunctionScope scope = FunctionScope.of(args[0]);
    if (!scope.isLambda()) {
      throw new IllegalArgumentException("-Dfn must name a Lambda function, not " + args[0]);
    }
    Path classes = Path.of(args[1]);
    Map<String, KmsAction> actionsByClass = new TreeMap<>();
    for (KmsAction action : KmsAction.values()) {
      actionsByClass.put(operationClass(action), action);
    }

    List<String> problems = new ArrayList<>();
    Set<String> removed = new TreeSet<>();
    Set<String> kept = new TreeSet<>();
    for (Path file : classFiles(classes)) {
      String name = className(classes, file);
      if (!name.startsWith(OPERATION_PACKAGE) || name.contains("$")) {
        continue;
      }
      KmsAction action = actionsByClass.get(name);
      boolean operation = ClassFile.read(file).interfaces().contains(KMS_OPERATION);
      if (operation && action == null) {
        problems.add(name + " implements KmsOperation but no KmsAction has its name as wire name");
      } else if (action != null && !scope.serves(action)) {
        removed.add(name);
      } else if (operation) {
        kept.add(simpleName(name));
      }
    }

    // Helpers of removed operations only (e.g. CreateGrant's GrantRequests): an operation-package
    // class that refers to a removed class and that no remaining class refers to goes too.
    Map<String, Set<String>> refs = references(classes);
    Set<String> helpers = new TreeSet<>();
    for (boolean changed = true; changed; ) {
      changed = false;
      for (Map.Entry<String, Set<String>> c : refs.entrySet()) {
        String name = c.getKey();
        if (removed.contains(name)
            || helpers.contains(name)
            || !inOperationPackage(name)
            || c.getValue().stream().noneMatch(r -> removed.contains(r) || helpers.contains(r))) {
          continue;
        }
        boolean used =
            refs.entrySet().stream()
                .anyMatch(
                    d ->
                        !d.getKey().equals(name)
                            && !removed.contains(d.getKey())
                            && !helpers.contains(d.getKey())
                            && d.getValue().contains(name));
        if (!used) {
          helpers.add(name);
          changed = true;
        }
      }
    }
    removed.addAll(helpers);
    for (Map.Entry<String, Set<String>> c : refs.entrySet()) {
      if (removed.contains(c.getKey())) {
        continue;
      }
      for (String r : c.getValue()) {
        if (removed.contains(r)) {
          problems.add(
              c.getKey()
                  + " refers to "
                  + simpleName(r)
                  + ", which function "
                  + scope.label()
                  + " does not contain");
        }
      }
    }
    Set<String> removedSimple = new TreeSet<>();
    if (problems.isEmpty()) {
      for (Path file : classFiles(classes)) {
        if (removed.contains(outer(className(classes, file)))) {
          Files.delete(file);
        }
      }
      removed.forEach(r -> removedSimple.add(simpleName(r)));
    }

    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("[function-scope] " + p));
      System.exit(1);
    }
    int records = writeReflectConfig(classes);
    System.out.println(
        "[function-scope] "
            + scope.label()
            + ": operations kept "
            + kept
            + "; removed "
            + removedSimple.size()
            + " classes "
            + removedSimple
            + " (of which helpers of removed"
            + " operations only: "
            + helpers.size()
            + "); "
            + records
            + " records and operations registered for reflection");
  }

  /** Registers every record and operation class left in the operation package; returns how many. */
  private static int writeReflectConfig(Path classes) throws IOException {
    StringBuilder json = new StringBuilder("[\n");
    int count = 0;
    for (Path file : classFiles(classes)) {
      String name = className(classes, file);
      ClassFile read = ClassFile.read(file);
      if (!name.startsWith(OPERATION_PACKAGE)
          || !("java/lang/Record".equals(read.superName())
              || read.interfaces().contains(KMS_OPERATION))) {
        continue;
      }
      if (count++ > 0) {
        json.append(",\n");
      }
      json.append("  {\"name\": \"")
          .append(name.replace('/', '.'))
          .append("\", \"allDeclaredConstructors\": true, \"allPublicConstructors\": true,")
          .append(" \"allDeclaredMethods\": true, \"allPublicMethods\": true,")
          .append(" \"allDeclaredFields\": true, \"allPublicFields\": true,")
          .append(" \"queryAllDeclaredMethods\": true, \"queryAllDeclaredConstructors\": true}");
    }
    json.append("\n]\n");
    Path out = classes.resolve(REFLECT_CONFIG);
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    return count;
  }

  private static final Pattern PROJECT_CLASS = Pattern.compile("dev/keyhaven/kms/[A-Za-z0-9_/]+");

  /**
   * Top-level class → the top-level project classes its class files (nested ones included) name.
   */
  private static Map<String, Set<String>> references(Path classes) throws IOException {
    Map<String, Set<String>> refs = new TreeMap<>();
    for (Path file : classFiles(classes)) {
      String owner = outer(className(classes, file));
      Set<String> named = refs.computeIfAbsent(owner, k -> new TreeSet<>());
      for (String constant : ClassFile.read(file).strings()) {
        Matcher m = PROJECT_CLASS.matcher(constant);
        while (m.find()) {
          if (!m.group().equals(owner)) {
            named.add(m.group());
          }
        }
      }
    }
    return refs;
  }

  private static boolean inOperationPackage(String name) {
    return name.startsWith(OPERATION_PACKAGE) && name.indexOf('/', OPERATION_PACKAGE.length()) < 0;
  }

  private static String outer(String name) {
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  private static List<Path> classFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
    }
  }

  private static String className(Path root, Path file) {
    String relative = root.relativize(file).toString().replace('\\', '/');
    return relative.substring(0, relative.length() - ".class".length());
  }

  private static String simpleName(String internalName) {
    return internalName.substring(internalName.lastIndexOf('/') + 1);
  }

  /** The parts of a class file this step reads (JVM Specification §4.1, §4.4). */
  record ClassFile(List<String> strings, String superName, List<String> interfaces) {
    static ClassFile read(Path file) throws IOException {
      try (InputStream raw = Files.newInputStream(file);
          DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
        if (in.readInt() != 0xCAFEBABE) {
          throw new IOException("not a class file: " + file);
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
          int tag = in.readUnsignedByte();
          switch (tag) {
            case 1 -> utf8[i] = in.readUTF();
            case 7 -> classNameIndex[i] = in.readUnsignedShort();
            case 8, 16, 19, 20 -> in.readUnsignedShort();
            case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
            case 15 -> {
              in.readUnsignedByte();
              in.readUnsignedShort();
            }
            case 5, 6 -> {
              in.readLong();
              i++;
            }
            default -> throw new IOException("unknown constant tag " + tag + " in " + file);
          }
        }
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this class
        int superIndex = in.readUnsignedShort();
        String superName = superIndex == 0 ? null : utf8[classNameIndex[superIndex]];
        List<String> interfaces = new ArrayList<>();
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
          interfaces.add(utf8[classNameIndex[in.readUnsignedShort()]]);
        }
        List<String> strings = new ArrayList<>();
        for (String s : utf8) {
          if (s != null) {
            strings.add(s);
          }
        }
        return new ClassFile(strings, superName, interfaces);
      }
    }
  }
}
