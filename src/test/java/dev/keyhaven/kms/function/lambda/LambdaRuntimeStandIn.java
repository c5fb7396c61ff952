package dev.keyhaven.kms.function.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Stands in for AWS Lambda's {@code java21} runtime, in a JVM of its own whose class path is the
 * unpacked {@code function.zip} (and this class): it instantiates the artifact's handler class,
 * {@code io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler} (the template's JVM handler), and
 * calls {@code handleRequest(InputStream, OutputStream, Context)} once per event.
 *
 * <p>Protocol on stdin/stdout (the application's own log lines go to stdout too): prints {@code
 * READY <ms since JVM start>} once the handler exists; then reads one base64 event per line and
 * prints {@code ANSWER <ms since JVM start> <base64 answer>} or {@code ERROR <base64 message>}.
 * Used by the packaged-artifact tests ({@code PackagedFunction}) and {@code
 * bench/lambda/cold-start.sh}.
 */
public final class LambdaRuntimeStandIn {
  private LambdaRuntimeStandIn() {}

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    PrintStream out = System.out;
    Class<?> type = Class.forName("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler");
    Object handler = type.getConstructor().newInstance();
    Method handle =
        type.getMethod("handleRequest", InputStream.class, OutputStream.class, Context.class);
    out.println("READY " + (System.currentTimeMillis() - jvmStart));
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        handle.invoke(
            handler,
            new ByteArrayInputStream(Base64.getDecoder().decode(line.trim())),
            answer,
            new StandInContext());
        out.println(
            "ANSWER "
                + (System.currentTimeMillis() - jvmStart)
                + " "
                + Base64.getEncoder().encodeToString(answer.toByteArray()));
      } catch (InvocationTargetException e) {
        out.println(
            "ERROR "
                + Base64.getEncoder()
                    .encodeToString(String.valueOf(e.getCause()).getBytes(StandardCharsets.UTF_8)));
      }
      out.flush();
    }
    System.exit(0);
  }

  /** The Context members Quarkus reads. */
  private static final class StandInContext implements Context {
    private final String requestId = UUID.randomUUID().toString();

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/keyhaven-stand-in";
    }

    @Override
    public String getLogStreamName() {
      return "stand-in";
    }

    @Override
    public String getFunctionName() {
      return "keyhaven-stand-in";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:111122223333:function:keyhaven-stand-in";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.println(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.println(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
