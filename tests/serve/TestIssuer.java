import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test OIDC issuer for the serve stage (tests/serve/run.sh): RS256 keys from the JDK, a JWKS over
 * HTTP on loopback, tokens minted on request, and a signing-key rotation after a given number of
 * tokens. Test code only: it runs in its own JVM, never inside Keyhaven.
 *
 * <p>Usage: {@code java tests/serve/TestIssuer.java PORT ISSUER AUDIENCE ROTATE_AFTER STATE_FILE}.
 * Endpoints: {@code GET /jwks} (every published key), {@code GET /token?principal=ARN} (a JWT
 * signed with the current key, valid one hour), {@code POST /rotate} (a new current key; the old
 * one stays published so its tokens keep verifying), {@code GET /stats} ({@code rotations=N
 * jwksFetches=N tokens=N tokensAfterRotation=N}). After {@code ROTATE_AFTER} tokens (0: never) it
 * rotates by itself, so a rotation happens in the middle of a suite's run. Writes {@code ready} to
 * STATE_FILE once it listens.
 */
public final class TestIssuer {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  private final String audience;
  private final int rotateAfter;
  private final List<Map.Entry<String, KeyPair>> published = new ArrayList<>();
  private final Map<String, Integer> stats = new HashMap<>();

  private TestIssuer(String issuer, String audience, int rotateAfter) throws Exception {
    this.issuer = issuer;
    this.audience = audience;
    this.rotateAfter = rotateAfter;
    for (String name : List.of("rotations", "jwksFetches", "tokens", "tokensAfterRotation")) {
      stats.put(name, 0);
    }
    published.add(newKey());
  }

  public static void main(String[] args) throws Exception {
    TestIssuer issuer = new TestIssuer(args[1], args[2], Integer.parseInt(args[3]));
    HttpServer server =
        HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 16);
    server.createContext("/jwks", x -> issuer.answer(x, "application/json", issuer.jwks()));
    server.createContext("/token", x -> issuer.answer(x, "text/plain", issuer.token(x)));
    server.createContext("/rotate", x -> issuer.answer(x, "text/plain", issuer.rotate()));
    server.createContext("/stats", x -> issuer.answer(x, "text/plain", issuer.stats()));
    server.start();
    Files.writeString(Path.of(args[4]), "ready\n");
  }

  private static Map.Entry<String, KeyPair> newKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return Map.entry(UUID.randomUUID().toString(), generator.generateKeyPair());
  }

  private synchronized String jwks() {
    stats.merge("jwksFetches", 1, Integer::sum);
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, KeyPair> key : published) {
      RSAPublicKey pub = (RSAPublicKey) key.getValue().getPublic();
      keys.add(
          "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
              + key.getKey()
              + "\",\"n\":\""
              + unsigned(pub.getModulus())
              + "\",\"e\":\""
              + unsigned(pub.getPublicExponent())
              + "\"}");
    }
    return "{\"keys\":[" + String.join(",", keys) + "]}";
  }

  private synchronized String token(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String principal =
        query == null || !query.startsWith("principal=")
            ? null
            : URLDecoder.decode(query.substring("principal=".length()), StandardCharsets.UTF_8);
    if (principal == null) {
      throw new IOException("GET /token?principal=ARN");
    }
    Map.Entry<String, KeyPair> current = published.get(published.size() - 1);
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + current.getKey() + "\"}";
    String claims =
        "{\"iss\":\""
            + issuer
            + "\",\"aud\":\""
            + audience
            + "\",\"sub\":\""
            + principal
            + "\",\"iat\":"
            + now
            + ",\"exp\":"
            + (now + 3600)
            + "}";
    String input = b64(header) + "." + b64(claims);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(current.getValue().getPrivate());
      rs256.update(input.getBytes(StandardCharsets.US_ASCII));
      String token = input + "." + B64.encodeToString(rs256.sign());
      stats.merge("tokens", 1, Integer::sum);
      if (stats.get("rotations") > 0) {
        stats.merge("tokensAfterRotation", 1, Integer::sum);
      }
      if (rotateAfter > 0 && stats.get("tokens") == rotateAfter) {
        rotate();
      }
      return token;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private synchronized String rotate() throws IOException {
    try {
      published.add(newKey());
    } catch (Exception e) {
      throw new IOException(e);
    }
    stats.merge("rotations", 1, Integer::sum);
    return published.get(published.size() - 1).getKey();
  }

  private synchronized String stats() {
    return "rotations="
        + stats.get("rotations")
        + " jwksFetches="
        + stats.get("jwksFetches")
        + " tokens="
        + stats.get("tokens")
        + " tokensAfterRotation="
        + stats.get("tokensAfterRotation");
  }

  private void answer(HttpExchange exchange, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return B64.encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
  }
}
