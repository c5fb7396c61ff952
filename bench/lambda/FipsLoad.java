import java.security.SecureRandom;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * BC-FIPS's share of a cold start: a fresh JVM loads the provider (power-on self-tests), seeds its
 * DRBG and runs one AES-256-GCM encryption, as every function does before its first answer.
 */
public class FipsLoad {
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    BouncyCastleFipsProvider provider = new BouncyCastleFipsProvider();
    Security.addProvider(provider);
    long loaded = System.nanoTime();
    SecureRandom drbg = SecureRandom.getInstance("DEFAULT", provider);
    byte[] key = new byte[32];
    drbg.nextBytes(key);
    long seeded = System.nanoTime();
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", provider);
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), drbg);
    gcm.doFinal(new byte[64]);
    long first = System.nanoTime();
    System.out.printf(
        "fips-load: provider %d ms, DRBG seeded %d ms, first AES-GCM %d ms, total %d ms%n",
        (loaded - t0) / 1_000_000,
        (seeded - loaded) / 1_000_000,
        (first - seeded) / 1_000_000,
        (first - t0) / 1_000_000);
  }
}
