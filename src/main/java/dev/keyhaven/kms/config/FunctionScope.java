package dev.keyhaven.kms.config;

import dev.keyhaven.kms.domain.key.KmsAction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which artifact this is (docs/serverless.md): the long-running server, or one of the three Lambda
 * functions built from the same tree with {@code -Dfn=crypto|admin|rotation}.
 *
 * <p>Contract: the scope is fixed when the artifact is built — it is read from the classpath
 * resource {@value #RESOURCE}, which the build writes — and no configuration, environment variable
 * or system property can change it at run time. So the things it decides cannot be switched on in a
 * deployed function: which operations exist ({@link #serves}; a function build compiles only its
 * plane's operation package), the development {@code test}/{@code test} credentials (server only),
 * migrations at startup (server only) and in-process timers (server only).
 */
public enum FunctionScope {
  /**
   * {@code ./kms dev} and the tests: every operation on one endpoint, local mode's conveniences.
   */
  SERVER,
  /**
   * {@code ./kms serve}, the production server (docs/self-hosting.md): every operation on one
   * endpoint like {@link #SERVER}, built without local mode (no embedded PostgreSQL, no dev issuer,
   * never {@code test}/{@code test}, no seed files), and started only from a complete, safe
   * configuration ({@link ServeConfigCheck}).
   */
  SERVE,
  /** The data plane: {@link KmsAction.Plane#CRYPTO} actions, DescribeKey included. */
  CRYPTO,
  /** Key administration: every {@link KmsAction.Plane#ADMIN} action, KeyhavenAdmin included. */
  ADMIN,
  /** The maintenance job on a schedule and the deploy-time migration: no API operation at all. */
  ROTATION;

  /** The build-written resource naming the scope. */
  public static final String RESOURCE = "META-INF/keyhaven/function";

  private static volatile FunctionScope current;

  /** This artifact's scope. */
  public static FunctionScope current() {
    FunctionScope scope = current;
    if (scope == null) {
      scope = read();
      current = scope;
    }
    return scope;
  }

  /** Parses a build's {@code -Dfn} value ({@code server} for the default build). */
  public static FunctionScope of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown function '" + name + "': expected server, serve, crypto, admin or rotation", e);
    }
  }

  /** Whether this artifact contains and accepts {@code action}: membership is by plane alone. */
  public boolean serves(KmsAction action) {
    return switch (this) {
      case SERVER, SERVE -> true;
      case CRYPTO -> action.plane() == KmsAction.Plane.CRYPTO;
      case ADMIN -> action.plane() == KmsAction.Plane.ADMIN;
      case ROTATION -> false;
    };
  }

  /** The function that serves {@code action} when deployed as separate functions. */
  public static FunctionScope servingFunction(KmsAction action) {
    return action.plane() == KmsAction.Plane.CRYPTO ? CRYPTO : ADMIN;
  }

  /** A Lambda function (reached only through API Gateway or EventBridge), not a server. */
  public boolean isLambda() {
    return this != SERVER && this != SERVE;
  }

  /**
   * Whether the well-known development credentials {@code test}/{@code test} may be accepted (when
   * {@code kms.identity.dev-test-credentials} also says so): in the server only, never in a
   * function, whatever the configuration.
   */
  public boolean acceptsDevCredentials() {
    return this == SERVER;
  }

  /**
   * Whether a seed file ({@code kms.seed}) may create keys: in the local server only, never in a
   * function — a deployment's keys come from its users, not from a file baked into its settings.
   */
  public boolean seedsKeys() {
    return this == SERVER;
  }

  /**
   * Whether startup applies schema migrations. Functions never do: a crypto request's cold start
   * must not run DDL; a deployment migrates once through the rotation artifact's migrate handler.
   */
  public boolean migratesAtStartup() {
    return !isLambda();
  }

  /**
   * Whether in-process periodic timers may run. A Lambda process is frozen between invocations, and
   * a timer's transaction caught by the freeze would hold its row locks until the thaw; so
   * functions do timed work only inside an invocation.
   */
  public boolean runsTimers() {
    return !isLambda();
  }

  /**
   * Whether every request reaches this artifact over HTTPS: API Gateway's endpoints accept only
   * HTTPS, so a function's {@code aws:SecureTransport} is true although its last hop is local.
   */
  public boolean behindHttpsGateway() {
    return this == CRYPTO || this == ADMIN;
  }

  /** Lower-case name, as in {@code -Dfn=} and the SAM template. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static FunctionScope read() {
    try (InputStream in = FunctionScope.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return of(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
