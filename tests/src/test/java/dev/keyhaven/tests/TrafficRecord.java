package dev.keyhaven.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Records the suite's traffic for the audit checks that run after the server stops ({@link
 * AfterStopAuditTest}): the {@code x-amzn-RequestId} of every answer the SDK clients got, and every
 * secret the suite sent or received — plaintexts, data keys, data key pairs' private keys and ECDH
 * shared secrets ({@code Plaintext}, {@code PrivateKeyPlaintext}, {@code SharedSecret} members of
 * at least 16 bytes), imported key material, access-key secrets and bearer tokens.
 *
 * <p>Files in {@code $KMS_E2E_RECORD} (outside the server's data directory, which is scanned):
 * {@code request-ids.txt} and {@code secrets.txt} (base64, one per line), appended by every phase.
 * Without {@code KMS_E2E_RECORD} nothing is recorded.
 */
final class TrafficRecord implements ExecutionInterceptor {
  static final String REQUEST_IDS = "request-ids.txt";
  static final String SECRETS = "secrets.txt";

  /** Shorter plaintexts (test strings like "hello") could match any file by chance. */
  static final int MIN_SECRET_LENGTH = 16;

  /**
   * Response and request members that hold secrets: plaintexts, data keys, private keys, shared
   * secrets.
   */
  private static final java.util.Set<String> SECRET_MEMBERS =
      java.util.Set.of("Plaintext", "PrivateKeyPlaintext", "SharedSecret");

  private static final Object LOCK = new Object();

  static Path directory() {
    String dir = System.getenv("KMS_E2E_RECORD");
    return dir == null || dir.isBlank() ? null : Path.of(dir);
  }

  /** Records a secret the suite obtained outside the SDK (an access-key secret, a token). */
  static void secret(String value) {
    secret(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Records secret bytes the suite made itself (e.g. key material it imports). */
  static void secret(byte[] value) {
    append(SECRETS, Base64.getEncoder().encodeToString(value));
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    requestId(context.httpResponse());
    plaintexts(context.request());
    plaintexts(context.response());
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    context.httpResponse().ifPresent(this::requestId);
    plaintexts(context.request());
  }

  private void requestId(SdkHttpResponse response) {
    response.firstMatchingHeader("x-amzn-RequestId").ifPresent(id -> append(REQUEST_IDS, id));
  }

  private static void plaintexts(Object message) {
    if (!(message instanceof SdkPojo pojo)) {
      return;
    }
    for (SdkField<?> field : pojo.sdkFields()) {
      if (SECRET_MEMBERS.contains(field.memberName())
          && field.getValueOrDefault(pojo) instanceof SdkBytes bytes
          && bytes.asByteArrayUnsafe().length >= MIN_SECRET_LENGTH) {
        append(SECRETS, Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe()));
      }
    }
  }

  private static void append(String file, String line) {
    Path dir = directory();
    if (dir == null) {
      return;
    }
    synchronized (LOCK) {
      try {
        Files.createDirectories(dir);
        Files.write(
            dir.resolve(file),
            List.of(line),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
