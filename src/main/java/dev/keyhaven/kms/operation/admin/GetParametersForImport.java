package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.RequestQuota;
import dev.keyhaven.kms.domain.key.WrappingAlgorithm;
import dev.keyhaven.kms.domain.key.WrappingKeySpec;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.ImportQuota;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import dev.keyhaven.kms.operation.port.ImportCrypto;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * AWS KMS GetParametersForImport: a fresh RSA wrapping key pair (WrappingKeySpec RSA_2048, 3072 or
 * 4096) and an ImportToken, both valid for 24 hours (ParametersValidTo). The caller wraps its key
 * material under the public key with WrappingAlgorithm and passes the token to ImportKeyMaterial.
 * The token carries the wrapping private key sealed under the root key and bound to this KMS key
 * ({@link ImportCrypto}), so nothing is stored here.
 *
 * <p>AWS rules: only for keys with Origin EXTERNAL (UnsupportedOperationException {@code <key ARN>
 * origin is AWS_KMS which is not valid for this operation.}), in every state but PendingDeletion;
 * key id or key ARN; RSA private keys are too long for RSA-OAEP alone and need
 * RSA_AES_KEY_WRAP_SHA_* ("You cannot use RSAES_OAEP_* to wrap RSA private keys"); RSAES_PKCS1_V1_5
 * was withdrawn on 10 October 2023; SM2 and SM2PKE are China-Region only. Condition keys
 * kms:WrappingAlgorithm and kms:WrappingKeySpec.
 */
@Action(KmsAction.GET_PARAMETERS_FOR_IMPORT)
@ApplicationScoped
public class GetParametersForImport
    implements KmsOperation<GetParametersForImport.Request, GetParametersForImport.Response> {
  /** AWS: "These items are valid for 24 hours." */
  static final Duration VALIDITY = Duration.ofHours(24);

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.OneOf(WrappingAlgorithm.class) String wrappingAlgorithm,
      @Member.Required @Member.OneOf(WrappingKeySpec.class) String wrappingKeySpec) {}

  public record Response(
      String keyId, byte[] importToken, byte[] publicKey, Instant parametersValidTo) {}

  private final KeyResolver resolver;
  private final AsymmetricCrypto asymmetric;
  private final ImportCrypto imports;
  private final Transactions transactions;

  /** Each request generates an RSA key pair: a CPU lever, bounded per account as AWS does. */
  private final RequestQuota quota;

  GetParametersForImport(
      KeyResolver resolver,
      AsymmetricCrypto asymmetric,
      ImportCrypto imports,
      Transactions transactions,
      ImportQuota quota,
      Clock clock) {
    this.resolver = resolver;
    this.asymmetric = asymmetric;
    this.imports = imports;
    this.transactions = transactions;
    this.quota = new RequestQuota(clock, quota.perSecond(), quota.burst(), 10_000);
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    WrappingAlgorithm algorithm =
        AwsEnum.fromWire(WrappingAlgorithm.class, request.wrappingAlgorithm());
    WrappingKeySpec spec = AwsEnum.fromWire(WrappingKeySpec.class, request.wrappingKeySpec());
    if (algorithm.oaepHash() == null) {
      throw KmsException.unsupported(
          "WrappingAlgorithm "
              + algorithm.wireName()
              + " is not supported: use RSAES_OAEP_SHA_1,"
              + " RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.");
    }
    if (spec == WrappingKeySpec.SM2) {
      throw KmsException.unsupported(
          "WrappingKeySpec SM2 is not supported by this Keyhaven version.");
    }
    if (!quota.tryAcquire(context.accountId())) {
      throw new KmsException(ErrorCode.THROTTLING, "Rate exceeded");
    }
    Conditions conditions =
        Conditions.none()
            .with("kms:WrappingAlgorithm", algorithm.wireName())
            .with("kms:WrappingKeySpec", spec.wireName());
    Instant validTo = context.receivedAt().plus(VALIDITY);
    return transactions
        .inSession(
            () ->
                resolver.resolve(
                    context,
                    KmsAction.GET_PARAMETERS_FOR_IMPORT,
                    request.keyId(),
                    false,
                    conditions))
        .map(
            key ->
                requireWrappable(
                    key.requireStateFor(KmsAction.GET_PARAMETERS_FOR_IMPORT), algorithm))
        .chain(
            key ->
                asymmetric
                    .generate(spec.keySpec())
                    .map(
                        pair -> {
                          try {
                            byte[] token =
                                imports.sealToken(
                                    key.keyId(),
                                    new ImportCrypto.TokenContents(
                                        algorithm, spec, validTo, pair.privateKey()));
                            return new Response(
                                key.arn().toString(), token, pair.publicKey(), validTo);
                          } finally {
                            pair.privateKey().wipe();
                          }
                        }));
  }

  private static KmsKey requireWrappable(KmsKey key, WrappingAlgorithm algorithm) {
    if (key.keySpec().family() == KeySpec.Family.RSA && !algorithm.aesKeyWrap()) {
      throw KmsException.validation(
          "WrappingAlgorithm "
              + algorithm.wireName()
              + " cannot wrap the private key of "
              + key.keySpec().wireName()
              + " key material: use RSA_AES_KEY_WRAP_SHA_1 or"
              + " RSA_AES_KEY_WRAP_SHA_256.");
    }
    return key;
  }
}
