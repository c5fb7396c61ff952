package dev.keyhaven.bench;

import dev.keyhaven.kms.operation.crypto.Decrypt;
import dev.keyhaven.kms.operation.crypto.Encrypt;
import dev.keyhaven.kms.protocol.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** AWS JSON 1.1 decoding of Encrypt and Decrypt requests and encoding of their responses. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {
  private final JsonCodec codec = new JsonCodec();
  private final byte[] request =
      ("{\"KeyId\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\","
              + "\"Plaintext\":\""
              + "QUJD".repeat(86)
              + "\","
              + "\"EncryptionContext\":{\"tenant\":\"acme\",\"purpose\":\"bench\"}}")
          .getBytes(StandardCharsets.UTF_8);
  private final Encrypt.Response response =
      new Encrypt.Response(
          new byte[337],
          "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          "SYMMETRIC_DEFAULT");

  // A Decrypt of the ciphertext of a 256-byte plaintext (a 337-byte blob), with its context.
  private final byte[] decryptRequest =
      ("{\"CiphertextBlob\":\""
              + "QUJD".repeat(112)
              + "QQ==\","
              + "\"EncryptionContext\":{\"tenant\":\"acme\",\"purpose\":\"bench\"}}")
          .getBytes(StandardCharsets.UTF_8);
  private final Decrypt.Response decryptResponse =
      new Decrypt.Response(
          "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          new byte[256],
          "SYMMETRIC_DEFAULT");

  @Benchmark
  public Decrypt.Request decodeDecryptRequest() throws Exception {
    return codec.read(decryptRequest, Decrypt.Request.class);
  }

  @Benchmark
  public byte[] encodeDecryptResponse() throws Exception {
    return codec.write(decryptResponse);
  }

  @Benchmark
  public Encrypt.Request decodeEncryptRequest() throws Exception {
    return codec.read(request, Encrypt.Request.class);
  }

  @Benchmark
  public byte[] encodeEncryptResponse() throws Exception {
    return codec.write(response);
  }
}
