package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.MacAlgorithm;
import dev.keyhaven.kms.operation.port.MacCrypto;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link MacCrypto} with the FIPS module's HMAC-SHA-224/256/384/512 (FIPS 198-1). Keys are at least
 * 224 bits (KMS HMAC keys are 224–1024 bits), above the module's 112-bit minimum. Verification
 * recomputes the full tag and compares in constant time ({@link MessageDigest#isEqual}).
 */
@ApplicationScoped
public class FipsHmac implements MacCrypto {

  @Override
  public byte[] mac(MacAlgorithm algorithm, SecretBytes key, byte[] message) {
    try {
      String name = jcaName(algorithm);
      Mac mac = Mac.getInstance(name, Fips.PROVIDER);
      mac.init(new SecretKeySpec(key.exposeForCrypto(), name));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " failed", e);
    }
  }

  @Override
  public boolean verify(MacAlgorithm algorithm, SecretBytes key, byte[] message, byte[] tag) {
    return MessageDigest.isEqual(mac(algorithm, key, message), tag);
  }

  private static String jcaName(MacAlgorithm algorithm) {
    return "HMAC" + FipsSignatures.jcaDigest(algorithm.hash()).replace("-", "");
  }
}
