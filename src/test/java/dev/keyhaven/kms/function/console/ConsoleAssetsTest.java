package dev.keyhaven.kms.function.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web console's files (docs/console.md): served with the Content-Security-Policy, nosniff,
 * no-referrer, no-framing and revalidation headers; no inline script or style in the page; an
 * unknown or malformed name is the server's audited 404; config.json offers the development sign-in
 * only where {@code test}/{@code test} is accepted (tests listen on loopback in local mode).
 */
@QuarkusTest
class ConsoleAssetsTest {
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** Every file of the console folder (on the test class path, a directory). */
  private static final List<String> FILES = files();

  private static List<String> files() {
    try (Stream<Path> list =
        Files.list(
            Path.of(ConsoleAssetsTest.class.getClassLoader().getResource("console").toURI()))) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void folder_holdsThePageAndItsModules() {
    assertTrue(
        FILES.containsAll(
            List.of(
                "index.html",
                "console.css",
                "main.js",
                "api.js",
                "sigv4.js",
                "keys.js",
                "audit.js",
                "try.js")),
        FILES.toString());
    for (String file : FILES) {
      assertTrue(
          ConsoleAssets.ASSET.matcher("/console/" + file).matches(), file + " is not servable");
    }
  }

  private static ValidatableResponse secured(ValidatableResponse r) {
    return r.header("Content-Security-Policy", equalTo(CSP))
        .header("X-Content-Type-Options", equalTo("nosniff"))
        .header("X-Frame-Options", equalTo("DENY"))
        .header("Referrer-Policy", equalTo("no-referrer"))
        .header("Set-Cookie", equalTo(null));
  }

  @Test
  void everyFile_servedWithPolicyAndRevalidation() {
    for (String file : FILES) {
      secured(KmsApi.request().get("/console/" + file).then().statusCode(200))
          .header("Cache-Control", equalTo("no-cache"))
          .header("ETag", notNullValue());
    }
    secured(KmsApi.request().get("/console/").then().statusCode(200))
        .header("Content-Type", equalTo("text/html; charset=utf-8"))
        .body(containsString("<script type=\"module\" src=\"main.js\"></script>"));
    KmsApi.request()
        .get("/console/main.js")
        .then()
        .header("Content-Type", containsString("text/javascript"));
  }

  @Test
  void sameETag_answers304() {
    String etag = KmsApi.request().get("/console/api.js").then().extract().header("ETag");
    KmsApi.request().header("If-None-Match", etag).get("/console/api.js").then().statusCode(304);
    KmsApi.request()
        .header("If-None-Match", "\"other\"")
        .get("/console/api.js")
        .then()
        .statusCode(200);
  }

  @Test
  void bareConsolePath_redirectsToFolder() {
    KmsApi.request()
        .redirects()
        .follow(false)
        .get("/console")
        .then()
        .statusCode(301)
        .header("Location", equalTo("/console/"));
  }

  @Test
  void unknownOrTraversingNames_areTheAudited404() {
    for (String path :
        new String[] {
          "/console/nothing.js", "/console/../application.properties", "/console/%2e%2e/x.js",
          "/console/sub/main.js", "/console/MAIN.JS", "/console/main.js.map"
        }) {
      KmsApi.request()
          .urlEncodingEnabled(false)
          .get(path)
          .then()
          .statusCode(404)
          .header("x-amzn-RequestId", notNullValue())
          .body(not(containsString("import ")));
    }
  }

  @Test
  void config_offersDevSignInOnLoopbackLocalMode() {
    secured(KmsApi.request().get("/console/config.json").then().statusCode(200))
        .header("Cache-Control", equalTo("no-store"))
        .body("Region", equalTo("us-east-1"))
        .body("DevSignIn", equalTo(true));
  }

  @Test
  void page_hasNoInlineScriptOrStyle() throws IOException {
    Pattern inline =
        Pattern.compile(
            "<script(?![^>]*\\bsrc=)|<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE);
    for (String file : FILES) {
      String text = resource(file);
      if (file.endsWith(".html") || file.endsWith(".svg")) {
        Matcher m = inline.matcher(text);
        assertTrue(
            !m.find(), file + " has inline script or style: " + (m.hitEnd() ? "" : m.group()));
      }
      // The credential lives in memory only: no file touches web storage or cookies.
      for (String storage :
          new String[] {
            "localStorage", "sessionStorage", "indexedDB", "document.cookie", "innerHTML"
          }) {
        assertTrue(!text.contains(storage), file + " uses " + storage);
      }
    }
  }

  @Test
  void apiOrigins_mustBeBareOrigins() {
    assertEquals(
        CSP.replace("connect-src 'self'", "connect-src 'self' https://kms.example.com:8443"),
        ConsoleAssets.contentSecurityPolicy(List.of("https://kms.example.com:8443")));
    for (String bad :
        new String[] {
          "https://x.example.com/path", "https://x;script-src *", "'unsafe-inline'", "*"
        }) {
      assertThrows(
          IllegalArgumentException.class,
          () -> ConsoleAssets.contentSecurityPolicy(List.of(bad)),
          bad);
    }
  }

  @Test
  void assets_stayUnder500KB() throws IOException {
    long total = 0;
    for (String file : FILES) {
      total += resource(file).getBytes(StandardCharsets.UTF_8).length;
    }
    assertTrue(total < 500 * 1024, "console assets: " + total + " bytes");
  }

  private static String resource(String file) throws IOException {
    try (InputStream in =
        ConsoleAssetsTest.class.getClassLoader().getResourceAsStream("console/" + file)) {
      assertTrue(in != null, "console/" + file + " on the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
