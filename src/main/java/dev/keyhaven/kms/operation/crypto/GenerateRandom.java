package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.RandomSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** AWS KMS GenerateRandom: 1–1024 bytes from the FIPS provider's approved DRBG. */
@Action(KmsAction.GENERATE_RANDOM)
@ApplicationScoped
public class GenerateRandom
    implements KmsOperation<GenerateRandom.Request, GenerateRandom.Response> {

  public record Request(
      @Member.Range(min = 1, max = 1024) Integer numberOfBytes,
      @Member.Length(min = 1, max = 64) String customKeyStoreId) {}

  public record Response(byte[] plaintext) {}

  private final RandomSource crypto;
  private final Authorization authorization;

  GenerateRandom(RandomSource crypto, Authorization authorization) {
    this.crypto = crypto;
    this.authorization = authorization;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    if (request.numberOfBytes() == null) {
      throw KmsException.validation("NumberOfBytes is required.");
    }
    if (request.customKeyStoreId() != null) {
      throw KmsException.unsupported("Custom key stores are not supported by Keyhaven.");
    }
    return authorization
        .require(context, KmsAction.GENERATE_RANDOM, null, Conditions.none())
        .map(ignored -> new Response(crypto.randomBytes(request.numberOfBytes())));
  }
}
