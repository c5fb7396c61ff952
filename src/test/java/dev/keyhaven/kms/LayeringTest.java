package dev.keyhaven.kms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the architecture (docs/architecture.md): function → protocol → operation
 * → domain, adapters → (operation.port, domain); the domain is plain Java; only adapter.fips
 * touches BouncyCastle and only adapter.persistence touches JPA/Hibernate; each operation lives in
 * its plane's package, which nothing outside it depends on (a function build compiles only its
 * own).
 */
class LayeringTest {
  private static final String[] ADAPTERS = {"fips", "persistence", "identity", "metrics", "aws"};
  private static final String OPERATION = "dev.keyhaven.kms.operation";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.keyhaven.kms");
  }

  @Test
  void domain_dependsOnJavaOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.keyhaven.kms.domain..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("java..", "dev.keyhaven.kms.domain..")
        .check(classes);
  }

  @Test
  void operation_dependsOnlyOnDomainMutinyCdiAndLogging() {
    // Logging: the request pipeline logs failures under the request id, and the audit echo is a
    // log category; JBoss Logging is the logging API every build routes (server and functions).
    noClasses()
        .that()
        .resideInAPackage("dev.keyhaven.kms.operation..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "java..",
            "dev.keyhaven.kms.domain..",
            "dev.keyhaven.kms.operation..",
            "io.smallrye.mutiny..",
            "jakarta.enterprise..",
            "jakarta.inject..",
            "org.jboss.logging..")
        .check(classes);
  }

  @Test
  void bouncyCastle_onlyInAdapterFips() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.keyhaven.kms.adapter.fips..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.bouncycastle..")
        .check(classes);
  }

  @Test
  void persistence_onlyInAdapterPersistence() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.keyhaven.kms.adapter.persistence..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.persistence..", "org.hibernate..", "io.vertx.mutiny.sqlclient..")
        .check(classes);
  }

  @Test
  void nothing_dependsOnEdges() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.keyhaven.kms.function..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.keyhaven.kms.function..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.keyhaven.kms.operation..",
            "dev.keyhaven.kms.domain..",
            "dev.keyhaven.kms.adapter..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.keyhaven.kms.protocol..")
        .check(classes);
  }

  /**
   * The protocol reads and writes bytes and names errors; the unit of work, the audit event and the
   * hot-state retry are the request pipeline's ({@code operation.RequestPipeline}).
   */
  @Test
  void protocol_neitherTransactsNorAudits() {
    noClasses()
        .that()
        .resideInAPackage("dev.keyhaven.kms.protocol..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.keyhaven.kms.operation.port.Transactions")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.keyhaven.kms.operation.port.AuditLog")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.keyhaven.kms.operation.port.StateCache")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.keyhaven.kms.operation.AuditRecorder")
        .check(classes);
  }

  /**
   * Configuration is a leaf: it reads settings and checks them, and knows nothing of the layers
   * that use them (the domain's vocabulary aside). Wiring that needs both lives in {@code
   * function}.
   */
  @Test
  void config_isALeaf() {
    noClasses()
        .that()
        .resideInAPackage("dev.keyhaven.kms.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.keyhaven.kms.adapter..",
            "dev.keyhaven.kms.operation..",
            "dev.keyhaven.kms.protocol..",
            "dev.keyhaven.kms.function..")
        .check(classes);
  }

  /**
   * JSON (Jackson) is a wire concern: the API's codec in {@code protocol}, and adapters reading or
   * storing other systems' JSON (AWS's replies, JSON columns); never the domain, operations,
   * configuration or the function edges.
   */
  @Test
  void jackson_onlyInProtocolAndAdapters() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.keyhaven.kms.protocol..", "dev.keyhaven.kms.adapter..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.fasterxml.jackson..")
        .check(classes);
  }

  /**
   * Adapters implement ports and nothing else of the core reaches them: the core sees an adapter
   * only through an {@code operation.port} interface, and only the edges ({@code function}, which
   * wire and start things) name adapter classes. In turn an adapter knows of the core only the
   * ports and the domain — no operation, no protocol.
   */
  @Test
  void adapters_implementPortsOnly() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.keyhaven.kms.adapter..", "dev.keyhaven.kms.function..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.keyhaven.kms.adapter..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("dev.keyhaven.kms.adapter..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.keyhaven.kms.protocol..", "dev.keyhaven.kms.function..")
        .orShould()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are operation classes other than ports",
                c ->
                    c.getPackageName().startsWith("dev.keyhaven.kms.operation")
                        && !c.getPackageName().startsWith("dev.keyhaven.kms.operation.port")))
        .check(classes);
  }

  /**
   * The operations of one plane ({@code operation.crypto}, {@code operation.admin}) are reached
   * only as CDI beans: neither the shared operation code, nor protocol, functions or adapters, nor
   * the other plane depends on them — a function build leaves the other plane's package out of the
   * compilation. Local mode (server only) may use the admin plane to create its access key.
   */
  @Test
  void operationPlanes_dependedOnByNothingOutsideThem() {
    for (KmsAction.Plane plane : KmsAction.Plane.values()) {
      String own = planePackage(plane) + "..";
      noClasses()
          .that()
          .resideOutsideOfPackages(own, "dev.keyhaven.kms.local..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(own)
          .check(classes);
    }
  }

  /**
   * Every operation lives in its action's plane's package and is named after the action (house
   * style rule 1): {@code operation.crypto.Encrypt} for {@code ENCRYPT}, {@code
   * operation.admin.CreateKey} for {@code CREATE_KEY}, {@code operation.crypto.xks.XksEncrypt} for
   * the XKS proxy API's {@code XKS_ENCRYPT} (Plane.CRYPTO, whose wire names repeat AWS KMS's).
   */
  @Test
  void everyOperation_inItsPlanesPackage_namedAfterItsAction() {
    classes()
        .that()
        .implement(KmsOperation.class)
        .and()
        .areNotInterfaces()
        .should(
            new ArchCondition<JavaClass>("live in its plane's package, named after its action") {
              @Override
              public void check(JavaClass type, ConditionEvents events) {
                Action action = type.reflect().getAnnotation(Action.class);
                String expected = action == null ? "an @Action" : operationClass(action.value());
                events.add(
                    new SimpleConditionEvent(
                        type,
                        type.getName().equals(expected),
                        type.getName() + " should be " + expected));
              }
            })
        .check(classes);
  }

  private static String planePackage(KmsAction.Plane plane) {
    return OPERATION + "." + plane.name().toLowerCase(Locale.ROOT);
  }

  private static String operationClass(KmsAction action) {
    return action.service() == KmsAction.Service.XKS
        ? planePackage(action.plane()) + ".xks.Xks" + action.wireName()
        : planePackage(action.plane()) + "." + action.wireName();
  }

  @Test
  void adapters_doNotDependOnEachOther() {
    for (String adapter : ADAPTERS) {
      noClasses()
          .that()
          .resideInAPackage("dev.keyhaven.kms.adapter." + adapter + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(otherAdapters(adapter))
          .check(classes);
    }
  }

  private static String[] otherAdapters(String adapter) {
    return java.util.stream.Stream.of(ADAPTERS)
        .filter(a -> !a.equals(adapter))
        .map(a -> "dev.keyhaven.kms.adapter." + a + "..")
        .toArray(String[]::new);
  }
}
