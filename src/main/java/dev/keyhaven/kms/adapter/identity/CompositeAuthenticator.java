package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.port.AccessKeyCredentials;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.Authenticator;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The {@link Authenticator}: routes on the {@code Authorization} scheme. {@code AWS4-HMAC-SHA256
 * ...} goes to {@link SigV4Verifier} (AWS General Reference, "Create a signed AWS API request"),
 * anything else to {@link JwtAuthenticator}, which accepts {@code Bearer <JWT>} and answers any
 * other scheme with {@code UnrecognizedClientException}. No header at all is {@code
 * MissingAuthenticationTokenException} (403), as with AWS.
 *
 * <p>For SigV4 the one access key the header names is fetched (and its secret unwrapped) through
 * {@link AccessKeyCredentials} per request (a cached row counts only while its version holds,
 * checked when the request's audit event is written), so a deleted key stops working on every
 * instance at the next request. The SigV4 scope must name {@code kms.region} and the service {@code
 * kms}.
 */
@ApplicationScoped
public class CompositeAuthenticator implements Authenticator {
  static final String SERVICE = "kms";

  /** The well-known development access key id (and secret) of local mode. */
  static final String TEST_CREDENTIAL = "test";

  private static final Logger LOG = Logger.getLogger(CompositeAuthenticator.class);

  private final Authenticator bearer;
  private final SigV4Verifier sigV4;
  private final AccessKeyCredentials credentials;
  private final SigV4Verifier testCredentials;
  private final String partition;

  @Inject
  CompositeAuthenticator(
      JwtAuthenticator jwt,
      AccessKeyCredentials credentials,
      KmsConfig config,
      Clock clock,
      @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String httpHost) {
    this.bearer = jwt;
    this.partition = config.partition();
    this.sigV4 =
        new SigV4Verifier(config.region(), SERVICE, clock, accessKeyId -> Optional.empty());
    this.credentials = credentials;
    boolean wanted =
        config.identity().devTestCredentials() && FunctionScope.current().acceptsDevCredentials();
    boolean loopback = loopbackOnly(httpHost);
    if (wanted && !loopback) {
      LOG.warnf(
          "the development SigV4 credentials test/test are off: the server listens on %s, not on"
              + " loopback only, so anyone who reaches it could sign with them as the account"
              + " root (they stay on for a server on 127.0.0.1, ::1 or localhost)",
          httpHost);
    }
    this.testCredentials =
        wanted && loopback
            ? new SigV4Verifier(config.region(), SERVICE, clock, testCredential(config), true)
            : null;
  }

  /**
   * Whether this server accepts the development pair {@code test}/{@code test}: local mode, a
   * loopback-only listener, never a function (the web console offers its one-click development
   * sign-in only then; docs/console.md).
   */
  public boolean acceptsTestCredentials() {
    return testCredentials != null;
  }

  /**
   * True only if every address {@code host} names is a loopback address: {@code 127.0.0.1}, {@code
   * ::1}, {@code localhost}. A wildcard ({@code 0.0.0.0}, {@code ::}), any other address and a name
   * that does not resolve are not.
   */
  static boolean loopbackOnly(String host) {
    String bare = host == null ? "" : host.strip().replaceAll("^\\[|\\]$", "");
    if (bare.isEmpty()) {
      return false;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(bare);
      return addresses.length > 0
          && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** For tests: SigV4 keys come from the verifier's own lookup. */
  CompositeAuthenticator(Authenticator bearer, SigV4Verifier sigV4) {
    this.bearer = bearer;
    this.sigV4 = sigV4;
    this.credentials = null;
    this.testCredentials = null;
    this.partition = "aws";
  }

  /**
   * The {@code test}/{@code test} pair LocalStack and moto users' suites sign with, as the root of
   * the local dev account. Only when {@code kms.identity.dev-test-credentials} is true, which only
   * the local-mode configuration sets, only while the server listens on loopback alone ({@code
   * quarkus.http.host}, {@code KMS_HOST}), and never in a Lambda function, whatever it is
   * configured.
   */
  private static AccessKeyLookup testCredential(KmsConfig config) {
    String root = Principal.root(config.partition(), config.dev().accountId()).arn();
    return accessKeyId ->
        TEST_CREDENTIAL.equals(accessKeyId)
            ? Optional.of(
                new AccessKeyLookup.Credential(
                    TEST_CREDENTIAL,
                    root,
                    SecretBytes.adopt(TEST_CREDENTIAL.getBytes(StandardCharsets.US_ASCII))))
            : Optional.empty();
  }

  /**
   * Builds the authenticator at startup, so the warning about {@code test}/{@code test} above, if
   * any, is logged then; refuses to start with a {@code kms.partition} that is no partition name
   * ({@code aws}, {@code aws-cn}, …).
   */
  void onStart(@Observes StartupEvent event) {
    if (!Principal.PARTITION.matcher(partition).matches()) {
      throw new IllegalStateException(
          "Refusing to start: kms.partition '"
              + partition
              + "' is not a partition name such as aws,"
              + " aws-cn or aws-us-gov");
    }
  }

  /**
   * Authenticates, then refuses a principal of another partition than {@code kms.partition} —
   * whatever signed it — as AWS refuses another partition's credentials: it is no principal of this
   * service, so it is never an account root here and never a caller a policy could name.
   */
  @Override
  public Uni<CallerIdentity> authenticate(HttpRequestView request) {
    return verify(request).map(this::requireOwnPartition);
  }

  /**
   * Also refuses an external key store's principal (docs/xks.md): its credential calls the XKS
   * proxy API of its store and nothing else.
   */
  private CallerIdentity requireOwnPartition(CallerIdentity caller) {
    if (!partition.equals(caller.principal().partition())
        || XksKeyStore.isStorePrincipal(caller.principalArn())) {
      throw new KmsException(
          ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }
    return caller;
  }

  private Uni<CallerIdentity> verify(HttpRequestView request) {
    String authorization = request.headers().get("authorization");
    if (authorization == null || authorization.isBlank()) {
      return Uni.createFrom()
          .failure(
              new KmsException(
                  ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token"));
    }
    if (!SigV4Verifier.isSigV4(authorization)) {
      return bearer.authenticate(request);
    }
    if (credentials == null) {
      return Uni.createFrom().item(() -> sigV4.verify(request));
    }
    String accessKeyId = SigV4Verifier.accessKeyIdOf(authorization);
    if (testCredentials != null && TEST_CREDENTIAL.equals(accessKeyId)) {
      return Uni.createFrom().item(() -> testCredentials.verify(request));
    }
    Uni<Optional<AccessKeyLookup.Credential>> fetched =
        accessKeyId == null
            ? Uni.createFrom().item(Optional.empty())
            : credentials.find(accessKeyId);
    return fetched.map(
        found -> {
          try {
            return sigV4.verify(request, id -> found.filter(c -> c.accessKeyId().equals(id)));
          } finally {
            // The secret was unwrapped for this request only; the verifier keeps no reference.
            found.ifPresent(c -> c.secretAccessKey().wipe());
          }
        });
  }
}
