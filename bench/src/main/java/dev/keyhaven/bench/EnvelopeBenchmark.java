package dev.keyhaven.bench;

import dev.keyhaven.kms.adapter.fips.AesGcm;
import dev.keyhaven.kms.adapter.fips.CounterModeKdf;
import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.crypto.CiphertextBlob;
import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The symmetric crypto of Encrypt and Decrypt as the service does it (BC-FIPS, approved-only): the
 * per-request SP 800-108 key derivation plus AES-256-GCM seal/open with header and encryption
 * context as AAD, and ciphertext parsing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EnvelopeBenchmark {
  private static final byte[] LABEL = "keyhaven:data-key:v1".getBytes(StandardCharsets.US_ASCII);

  @Param({"256", "4096"})
  public int size;

  private byte[] material;
  private byte[] plaintext;
  private CiphertextBlob header;
  private EncryptionContext context;
  private byte[] sealedIv;
  private byte[] sealedBody;
  private byte[] blobBytes;

  @Setup
  public void setUp() {
    Fips.PROVIDER.getName();
    material = Fips.randomBytes(32);
    plaintext = Fips.randomBytes(size);
    context = EncryptionContext.of(Map.of("tenant", "acme", "purpose", "bench"));
    header = new CiphertextBlob(UUID.randomUUID(), 1, Fips.randomBytes(32), null, null);
    byte[] sealed = seal();
    sealedIv = Arrays.copyOfRange(sealed, 0, AesGcm.IV_LENGTH);
    sealedBody = Arrays.copyOfRange(sealed, AesGcm.IV_LENGTH, sealed.length);
    blobBytes =
        new CiphertextBlob(header.keyId(), 1, header.nonce(), sealedIv, sealedBody).toBytes();
  }

  @Benchmark
  public byte[] seal() {
    byte[] key = CounterModeKdf.deriveKey(material, LABEL, header.header());
    return AesGcm.seal(key, plaintext, header.associatedData(context));
  }

  @Benchmark
  public byte[] open() {
    byte[] key = CounterModeKdf.deriveKey(material, LABEL, header.header());
    return AesGcm.open(key, sealedIv, sealedBody, header.associatedData(context));
  }

  @Benchmark
  public byte[] deriveKeyOnly() {
    return CounterModeKdf.deriveKey(material, LABEL, header.header());
  }

  @Benchmark
  public CiphertextBlob parseBlob() {
    return CiphertextBlob.parse(blobBytes);
  }
}
