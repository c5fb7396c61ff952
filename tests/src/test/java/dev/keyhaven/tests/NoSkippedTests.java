package dev.keyhaven.tests;

import java.lang.reflect.AnnotatedElement;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Nothing in this suite is skipped: a skipped test fails. Registered for every test class by
 * autodetection (META-INF/services; {@code tests/pom.xml} turns autodetection on and switches off
 * JUnit's execution conditions, so that {@code @Disabled} and {@code @EnabledIf…} no longer skip
 * anything). A test or class marked {@code @Disabled} fails before it runs; an assumption that does
 * not hold ({@code Assumptions.assume…}, a {@link TestAbortedException}) in a test or in any of its
 * lifecycle methods fails it instead of aborting it. The suite must exercise the server every time.
 */
public final class NoSkippedTests
    implements BeforeEachCallback,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

  @Override
  public void beforeEach(ExtensionContext context) {
    for (AnnotatedElement element :
        new AnnotatedElement[] {context.getRequiredTestMethod(), context.getRequiredTestClass()}) {
      AnnotationSupport.findAnnotation(element, Disabled.class)
          .ifPresent(
              d -> {
                throw new AssertionError(
                    "@Disabled(\""
                        + d.value()
                        + "\") on "
                        + element
                        + ": a skipped test fails this suite");
              });
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw failedInstead(t);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw failedInstead(t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw failedInstead(t);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw failedInstead(t);
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw failedInstead(t);
  }

  private static Throwable failedInstead(Throwable t) {
    return t instanceof TestAbortedException
        ? new AssertionError("skipped (" + t.getMessage() + "): a skipped test fails this suite", t)
        : t;
  }
}
