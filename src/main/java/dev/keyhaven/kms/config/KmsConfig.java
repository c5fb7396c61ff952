package dev.keyhaven.kms.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keyhaven's own settings ({@code kms.*}; environment {@code KMS_*}). See docs/configuration.md.
 */
@ConfigMapping(prefix = "kms")
public interface KmsConfig {

  /** The region this instance serves; it appears in every key ARN. */
  @WithDefault("us-east-1")
  String region();

  /**
   * The AWS partition this instance serves ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, …).
   * Principals are of this partition only: a credential whose principal ARN names another partition
   * is refused (UnrecognizedClientException), and a principal of another partition in a policy
   * never matches a caller. The account root is {@code arn:<partition>:iam::<account>:root}.
   */
  @WithDefault("aws")
  String partition();

  /** The root key, base64 of 32 bytes (production: injected from a secret store). */
  Optional<String> rootKey();

  /**
   * A file holding the root key (base64); created with mode 0600 if missing. Local mode uses {@code
   * ${KMS_DATA_DIR}/root.key}. Ignored when {@link #rootKey()} is set.
   */
  Optional<String> rootKeyFile();

  /**
   * Where the root of trust lives (docs/key-hierarchy.md): {@code secret} — the 32 bytes of {@link
   * #rootKey()} or {@link #rootKeyFile()} are the root key; {@code pkcs11} — an AES-256 key in an
   * HSM ({@link #pkcs11()}) seals a domain key stored in the database, and the domain key plays the
   * root key in memory. Any other value refuses to start.
   */
  @WithDefault("secret")
  String rootOfTrust();

  /**
   * Set by {@code ./kms root-key migrate}: instead of serving, the server moves everything the root
   * key protects from the database's root to the one {@link #rootOfTrust()} names, then exits
   * (docs/key-hierarchy.md, "Moving the root"). The long-running server only.
   */
  @WithDefault("false")
  boolean rootKeyMigrate();

  /** Rows the root-key migration moves per transaction. */
  @WithDefault("100")
  int rootKeyMigrateBatchSize();

  /**
   * A pause after each of the migration's transactions, to spare a busy database (default none).
   */
  @WithDefault("0s")
  Duration rootKeyMigrateBatchPause();

  /** The HSM of {@code kms.root-of-trust=pkcs11}. */
  Pkcs11 pkcs11();

  /**
   * A PKCS#11 HSM reached through the JDK's SunPKCS11 provider: SoftHSM2 in tests, AWS CloudHSM or
   * another PKCS#11 HSM in a deployment (docs/key-hierarchy.md, "Root of trust in an HSM").
   */
  interface Pkcs11 {
    /** The vendor's PKCS#11 library ({@code /usr/lib/softhsm/libsofthsm2.so}); required. */
    Optional<String> library();

    /** The slot id of the token; when unset, {@link #slotListIndex()} chooses it. */
    Optional<Long> slot();

    /** The token's index in the library's list of slots (used when {@link #slot()} is unset). */
    @WithDefault("0")
    int slotListIndex();

    /** The user PIN (CloudHSM: {@code <crypto user>:<password>}); required. */
    Optional<String> pin();

    /** CKA_LABEL of the root wrapping key, found or (on a new installation) created. */
    @WithDefault("keyhaven-root")
    String keyLabel();

    /**
     * How the HSM key seals the domain key: {@code AES_GCM} (CKM_AES_GCM, IV from Keyhaven) or
     * {@code AES_CBC_PAD} (CKM_AES_CBC_PAD, for HSMs that generate GCM IVs themselves, such as AWS
     * CloudHSM). Stored with each sealed value, so opening never depends on this setting.
     */
    @WithDefault("AES_GCM")
    String mechanism();
  }

  /** Unwrapped key-material versions kept in memory (each entry is 32 bytes plus overhead). */
  @WithDefault("10000")
  int materialCacheMaxEntries();

  /**
   * Unwrapped material unused this long leaves memory at the cache's next use — also the material
   * of a key deleted through another instance (docs/key-hierarchy.md).
   */
  @WithDefault("5m")
  Duration materialCacheIdle();

  /**
   * Scopes of hot state (a key with its material versions, an alias, an identity policy, an access
   * key) kept in memory, least recently used first out; 0 turns the cache off (docs/performance.md,
   * "Hot state"). Cached state is checked against its version when the audit event is written, so
   * the cache never makes a revocation late.
   */
  @WithDefault("10000")
  int stateCacheMaxScopes();

  /** Identity settings. */
  Identity identity();

  /** Audit trail settings. */
  Audit audit();

  /** Request quotas (docs/security.md). */
  Quotas quotas();

  /** Request quotas per account, per process (AWS: per account and Region). */
  interface Quotas {
    /**
     * GetParametersForImport requests per second (each generates an RSA key pair, up to 4096 bits):
     * AWS's default quota is 0.25.
     */
    @WithDefault("0.25")
    double getParametersForImportPerSecond();

    /** …and how many may come at once before the rate applies. */
    @WithDefault("10")
    int getParametersForImportBurst();
  }

  /** The maintenance job: rotation and deletion (docs/rotation.md). */
  Maintenance maintenance();

  /** Where each Lambda function is reached, named in the error for a misrouted operation. */
  Endpoints endpoints();

  /** Use of the FIPS module (docs/fips.md). */
  Fips fips();

  /** Local mode: where the embedded database, root key file and dev issuer live. */
  Optional<String> dataDir();

  /**
   * Local mode: a seed file of keys to create at start ({@code KMS_SEED}, {@code ./kms dev --seed};
   * docs/configuration.md, "Seeded keys"). A Lambda function refuses to start with it.
   */
  Optional<String> seed();

  /** The XKS proxy API (docs/xks.md). */
  Xks xks();

  /** The XKS proxy API (docs/xks.md). */
  interface Xks {
    /** Mutual TLS on the XKS paths (the spec's option; production server with its own TLS). */
    Mtls mtls();

    /**
     * Mutual TLS: the XKS paths require a client certificate chaining to one of {@link #caFile()}'s
     * certificates with the subject CN {@link #subjectCn()}; the TLS handshake refuses any other
     * certificate; the AWS KMS API paths on the same listener need none.
     */
    interface Mtls {
      /** A PEM file of the CA certificate(s) trusted for client certificates; unset: no mTLS. */
      Optional<String> caFile();

      /** The client certificate's subject CN; unset: {@code cks.kms.<kms.region>.amazonaws.com}. */
      Optional<String> subjectCn();
    }
  }

  /** Local mode settings. */
  Dev dev();

  /** The production server ({@code ./kms serve}; docs/self-hosting.md). */
  Serve serve();

  /** The production server ({@code ./kms serve}; docs/self-hosting.md). */
  interface Serve {
    /**
     * Listen in plain HTTP, behind a TLS-terminating proxy: must be said explicitly, or a server
     * without TLS settings refuses to start ({@link ServeConfigCheck}).
     */
    @WithDefault("false")
    boolean plainHttp();
  }

  /** Local mode settings. */
  interface Dev {
    /** The account of the root principal whose token {@code dev.env} carries. */
    @WithDefault("111122223333")
    String accountId();
  }

  /** The web console the server serves at {@code /console/} (docs/console.md); never a function. */
  Console console();

  /** The web console (docs/console.md). */
  interface Console {
    /**
     * Serve it ({@code KMS_CONSOLE_ENABLED=false}: {@code /console/} answers 404 like any path).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Other origins ({@code https://host[:port]}) the console's pages may call, added to the
     * Content-Security-Policy's {@code connect-src}: a console served here signing requests for a
     * deployed endpoint. Unset: only this server.
     */
    Optional<List<String>> apiOrigins();
  }

  /** Health, metrics and logs of a running service (docs/self-hosting.md). */
  Operations operations();

  /** Health, metrics and logs of a running service (docs/self-hosting.md). */
  interface Operations {
    /**
     * How long the readiness probe waits for PostgreSQL's answer before it reports the database
     * unreachable.
     */
    @WithDefault("1s")
    Duration readinessTimeout();

    /**
     * For how long after an audit append failed (with none succeeding since) readiness reports the
     * trail unwritable; afterwards it is ready again until the next failure.
     */
    @WithDefault("5s")
    Duration auditFailureWindow();

    /** How often the server counts keys by state for the metrics (one GROUP BY query). */
    @WithDefault("30s")
    Duration keyCountInterval();
  }

  /** Measurement-only settings of the load benchmark (bench/load.sh, docs/performance.md). */
  Bench bench();

  /** Measurement-only settings of the load benchmark. */
  interface Bench {
    /**
     * Answer {@code POST /_keyhaven/bench/floor} (the benchmark's floor: the HTTP stack alone, no
     * authentication). Only local mode's build has that endpoint; no function artifact does.
     */
    @WithDefault("false")
    boolean floorEndpoint();
  }

  /**
   * The endpoints of the two API functions (docs/serverless.md): paths of the HTTP API by default,
   * full URLs when the deployment sets them ({@code KMS_ENDPOINTS_CRYPTO}, {@code
   * KMS_ENDPOINTS_ADMIN}).
   */
  interface Endpoints {
    /** The crypto function: {@code POST /} of the HTTP API. */
    @WithDefault("POST / of this API")
    String crypto();

    /** The admin function: {@code POST /admin} of the HTTP API. */
    @WithDefault("POST /admin of this API")
    String admin();
  }

  /** Use of the FIPS module (docs/fips.md). */
  interface Fips {
    /**
     * Serve Sign and Verify with RSASSA_PSS_* and MessageType DIGEST, the one computation outside
     * the module's approved services ({@code PrehashedRsaPss}); {@code false} answers
     * UnsupportedOperationException for exactly that combination instead.
     */
    @WithDefault("true")
    boolean prehashedPss();

    /**
     * Serve Sign and Verify with ED25519_PH_SHA_512 (MessageType DIGEST only), which runs outside
     * the module's approved services ({@code PrehashedEd25519}); {@code false} answers
     * UnsupportedOperationException for that algorithm instead.
     */
    @WithDefault("true")
    boolean prehashedEd25519();
  }

  /** The maintenance job (docs/rotation.md). */
  interface Maintenance {
    /**
     * How often the long-running server runs the job in-process ({@code 30s}, {@code 1m}, {@code
     * 1h}…); {@code off} turns the timer off (the tests do, and run the job themselves).
     */
    @WithDefault("1m")
    String interval();

    /** Keys per transaction. */
    @WithDefault("100")
    int batchSize();

    /** Transactions per step and run; the rest waits for the next run. */
    @WithDefault("10")
    int maxBatchesPerRun();
  }

  /** Identity settings. */
  interface Identity {
    /** The JWT claim that holds the caller's principal ARN. */
    @WithDefault("sub")
    String principalClaim();

    /**
     * Accept the well-known development credentials {@code test}/{@code test} (access key id and
     * secret) as the local dev account's root. Local mode turns it on (set {@code
     * KMS_IDENTITY_DEV_TEST_CREDENTIALS=false} to turn it off); a Lambda function ignores it and
     * never accepts them ({@link FunctionScope#acceptsDevCredentials()}).
     */
    @WithDefault("false")
    boolean devTestCredentials();

    /**
     * More trusted OIDC issuers besides {@code mp.jwt.verify.issuer}, each {@code <issuer>|<JWKS
     * URL>}; they share its audiences, algorithms and limits (docs/self-hosting.md).
     */
    Optional<List<String>> additionalIssuers();

    /** The default of {@link #sessionTagsClaim()}: AWS's web-identity session-tag claim. */
    String DEFAULT_SESSION_TAGS_CLAIM = "https://aws.amazon.com/tags";

    /**
     * The JWT claim that holds the caller's session tags, {@code {"principal_tags": {"Key":
     * ["value"]}}} (IAM User Guide, "Passing session tags using AssumeRoleWithWebIdentity"); they
     * are the {@code aws:PrincipalTag/<key>} condition values.
     */
    @WithDefault(DEFAULT_SESSION_TAGS_CLAIM)
    String sessionTagsClaim();
  }

  /** Audit trail settings (docs/audit.md). */
  interface Audit {
    /** A signed checkpoint after at most this many records… */
    @WithDefault("1000")
    int checkpointRecords();

    /** …or when the last checkpoint is this old and records followed it. */
    @WithDefault("60s")
    Duration checkpointInterval();

    /** Events written per group commit at most. */
    @WithDefault("512")
    int maxBatch();

    /**
     * How long a writer's lease on its audit chain lasts without an append; after that another
     * writer may take the chain over (docs/audit.md, "Chains").
     */
    @WithDefault("5m")
    Duration chainLease();

    /** A signed manifest over every chain's head at least this often while records are added. */
    @WithDefault("5m")
    Duration manifestInterval();

    /**
     * The accounts whose principals may run VerifyAuditTrail, which walks every account's records
     * (docs/security.md); unset: the local dev account ({@code kms.dev.account-id}).
     */
    Optional<List<String>> operatorAccounts();
  }
}
