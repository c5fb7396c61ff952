package dev.keyhaven.bench;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.adapter.identity.SigV4Verifier;
import dev.keyhaven.kms.adapter.identity.VerifiedTokenCache;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Authentication on the request path: SigV4 verification of an SDK-shaped KMS request (signing key
 * cached, as after the first request of the day), RS256 bearer-JWT verification by SmallRye JWT (a
 * token's first request), and the verified-token cache hit (its later requests).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuthenticationBenchmark {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final byte[] BODY =
      "{\"KeyId\":\"alias/app\",\"Plaintext\":\"aGVsbG8gd29ybGQ=\"}"
          .getBytes(StandardCharsets.UTF_8);

  private SigV4Verifier verifier;
  private HttpRequestView signed;
  private DefaultJWTParser jwtParser;
  private String token;
  private VerifiedTokenCache verifiedTokens;

  @Setup
  public void setUp() throws Exception {
    Fips.PROVIDER.getName();
    AccessKeyLookup lookup =
        id ->
            Optional.of(
                new AccessKeyLookup.Credential(
                    "AKIDEXAMPLE",
                    "arn:aws:iam::111122223333:role/App",
                    SecretBytes.adopt(SECRET.getBytes(StandardCharsets.US_ASCII))));
    verifier = new SigV4Verifier("us-east-1", "kms", Clock.fixed(NOW, ZoneOffset.UTC), lookup);
    signed = sign();

    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    JWTAuthContextInfo info = new JWTAuthContextInfo(pair.getPublic(), "https://issuer.example");
    info.setExpectedAudience(Set.of("keyhaven"));
    jwtParser = new DefaultJWTParser(info);
    JwtClaims claims = new JwtClaims();
    claims.setIssuer("https://issuer.example");
    claims.setAudience("keyhaven");
    claims.setSubject("arn:aws:iam::111122223333:role/App");
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(60);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setKey(pair.getPrivate());
    token = jws.getCompactSerialization();
    verifiedTokens =
        new VerifiedTokenCache(Clock.systemUTC(), 10_000, java.time.Duration.ofHours(1));
    verifiedTokens.put(
        token,
        new CallerIdentity(
            Principal.parse("arn:aws:iam::111122223333:role/App").orElseThrow(),
            new Credential.Jwt("bench", null)),
        Instant.now().plusSeconds(3600));
  }

  @Benchmark
  public CallerIdentity sigV4_verifyKmsRequest() {
    return verifier.verify(signed);
  }

  @Benchmark
  public JsonWebToken jwt_verifyRs256() throws Exception {
    return jwtParser.parse(token);
  }

  @Benchmark
  public CallerIdentity jwt_cachedVerdict() {
    return verifiedTokens.get(token);
  }

  /** An Encrypt request signed per the SigV4 spec, with the headers the AWS SDK v2 signs. */
  private static HttpRequestView sign() throws Exception {
    String amzDate =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(NOW);
    String payloadHash =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY));
    TreeMap<String, String> headers = new TreeMap<>();
    headers.put("content-type", "application/x-amz-json-1.1");
    headers.put("host", "localhost:8080");
    headers.put("x-amz-content-sha256", payloadHash);
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-target", "TrentService.Encrypt");
    StringBuilder canonical = new StringBuilder("POST\n/\n\n");
    headers.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", headers.keySet());
    canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    String scope = amzDate.substring(0, 8) + "/us-east-1/kms/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    for (String part : new String[] {"us-east-1", "kms", "aws4_request"}) {
      key = hmac(key, part);
    }
    Map<String, String> withAuth = new TreeMap<>(headers);
    withAuth.put(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + HexFormat.of().formatHex(hmac(key, toSign)));
    return new HttpRequestView("POST", "/", "", withAuth, BODY);
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256", "SunJCE");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
