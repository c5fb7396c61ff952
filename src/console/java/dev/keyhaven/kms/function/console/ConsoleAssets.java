package dev.keyhaven.kms.function.console;

import dev.keyhaven.kms.adapter.identity.CompositeAuthenticator;
import dev.keyhaven.kms.config.KmsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console (docs/console.md): {@code GET /console/} and its static files, read from the
 * class path's {@code console/} folder, which only the server packaging carries (src/console; the
 * Lambda function builds neither compile this class nor package the files).
 *
 * <p>Contract: every answer carries {@link #contentSecurityPolicy} (scripts, styles and images from
 * this origin only, no inline script or style, no framing, API calls to this origin and the
 * configured {@code kms.console.api-origins} only), {@code nosniff}, no referrer, and {@code
 * Cache-Control: no-cache} with a strong ETag (the browser revalidates every file on each load, so
 * a new server version is never mixed with cached old files). Names outside {@link #ASSET} and
 * missing files pass on to the server's audited 404. The console holds no credential of its own: it
 * calls the KMS and KeyhavenAdmin API with the credential its user types in. {@code config.json}
 * says only the region and whether this server accepts the development pair {@code test}/{@code
 * test} (local mode on loopback), for the one-click development sign-in.
 */
@ApplicationScoped
public class ConsoleAssets {
  /** Before Quarkus REST, which would answer a GET with its (audited) 404. */
  static final int ORDER = Integer.MIN_VALUE + 300;

  /** A file name the console may have: no folders, no dots but the extension's. */
  static final Pattern ASSET = Pattern.compile("/console/([a-z0-9-]+\\.(html|js|css|svg|png))");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  private final boolean enabled;
  private final String contentSecurityPolicy;
  private final byte[] config;
  private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

  ConsoleAssets(KmsConfig kms, CompositeAuthenticator authenticator) {
    this.enabled = kms.console().enabled();
    this.contentSecurityPolicy =
        contentSecurityPolicy(kms.console().apiOrigins().orElse(List.of()));
    this.config =
        ("{\"Region\":\""
                + kms.region()
                + "\",\"DevSignIn\":"
                + authenticator.acceptsTestCredentials()
                + "}")
            .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The policy: nothing but this origin's scripts, styles and images; no inline code of either
   * kind; fetch to this origin and {@code apiOrigins}; no forms, frames, plugins or base URL.
   */
  static String contentSecurityPolicy(List<String> apiOrigins) {
    for (String origin : apiOrigins) {
      // A CSP source must be a bare origin: a path, quote or ';' would change the policy.
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new IllegalArgumentException(
            "kms.console.api-origins: '"
                + origin
                + "' is not an origin like https://kms.example.com");
      }
    }
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        + " connect-src 'self'"
        + (apiOrigins.isEmpty() ? "" : " " + String.join(" ", apiOrigins))
        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  void install(@Observes Router router) {
    if (!enabled) {
      return;
    }
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
      router.routeWithRegex(method, "/console(/.*)?").order(ORDER).handler(this::serve);
    }
  }

  private void serve(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.equals("/console")) {
      secured(ctx).setStatusCode(301).putHeader("Location", "/console/").end();
      return;
    }
    if (path.equals("/console/config.json")) {
      secured(ctx)
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(Buffer.buffer(config));
      return;
    }
    Matcher m = ASSET.matcher(path.equals("/console/") ? "/console/index.html" : path);
    Optional<Asset> asset =
        m.matches() ? assets.computeIfAbsent(m.group(1), ConsoleAssets::load) : Optional.empty();
    if (asset.isEmpty()) {
      ctx.next(); // the server's audited 404
      return;
    }
    var response =
        secured(ctx)
            .putHeader("Cache-Control", "no-cache")
            .putHeader("ETag", asset.get().etag())
            .putHeader("Content-Type", TYPES.get(m.group(2)));
    if (asset.get().etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
    } else {
      response.end(Buffer.buffer(asset.get().bytes()));
    }
  }

  private io.vertx.core.http.HttpServerResponse secured(RoutingContext ctx) {
    return ctx.response()
        .putHeader("Content-Security-Policy", contentSecurityPolicy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  /** A file's bytes and strong ETag (its SHA-256, shortened). */
  record Asset(byte[] bytes, String etag) {}

  private static Optional<Asset> load(String name) {
    try (InputStream in =
        ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Optional.of(new Asset(bytes, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
