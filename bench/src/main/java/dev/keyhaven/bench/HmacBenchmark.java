package dev.keyhaven.bench;

import dev.keyhaven.kms.adapter.fips.Fips;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a BC-FIPS HMAC-SHA256 costs (approved-only, over a SigV4-sized string to sign): keying a Mac
 * and computing, as every SigV4 request did before signing keys kept keyed Macs and as every SP
 * 800-108 derivation through {@code FipsKDF} still does, against computing with a Mac that is
 * already keyed (a Mac is ready for the same key again after {@code doFinal}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HmacBenchmark {
  private static final byte[] STRING_TO_SIGN =
      ("AWS4-HMAC-SHA256\n20261128T120000Z\n20261128/us-east-1/kms/aws4_request\n"
              + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
          .getBytes(StandardCharsets.US_ASCII);

  private SecretKeySpec key;
  private Mac scratch;
  private Mac keyed;

  @Setup
  public void setUp() throws Exception {
    key = new SecretKeySpec(Fips.randomBytes(32), "HmacSHA256");
    scratch = Mac.getInstance("HmacSHA256", Fips.PROVIDER);
    keyed = Mac.getInstance("HmacSHA256", Fips.PROVIDER);
    keyed.init(key);
  }

  @Benchmark
  public byte[] initAndCompute() throws Exception {
    scratch.init(key);
    return scratch.doFinal(STRING_TO_SIGN);
  }

  @Benchmark
  public byte[] computeWithKeyedMac() {
    return keyed.doFinal(STRING_TO_SIGN);
  }
}
