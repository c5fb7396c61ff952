import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cold start of a JVM function artifact as the java21 runtime drives it: the runtime loads the
 * handler class from the unpacked function.zip and calls {@code handleRequest(InputStream,
 * OutputStream, Context)}. Prints the time from JVM start to the first answer (and to the handler
 * class being ready), then the second invocation's time and the first answer's start.
 *
 * <p>Usage (bench/lambda/cold-start.sh does this): {@code java -cp "<unzipped>:<unzipped>/lib/*"
 * bench/lambda/ColdStart.java <event.json>}.
 */
public class ColdStart {
  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    byte[] event = Files.readAllBytes(Path.of(args[0]));
    long loadStart = System.currentTimeMillis();
    Class<?> type = Class.forName("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler");
    Object handler = type.getConstructor().newInstance();
    long ready = System.currentTimeMillis();
    var method =
        type.getMethod(
            "handleRequest", java.io.InputStream.class, java.io.OutputStream.class, Context.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    method.invoke(handler, new ByteArrayInputStream(event), out, new BenchContext());
    long first = System.currentTimeMillis();
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    long secondStart = System.currentTimeMillis();
    method.invoke(handler, new ByteArrayInputStream(event), again, new BenchContext());
    long second = System.currentTimeMillis();
    String answer = out.toString(StandardCharsets.UTF_8);
    System.out.printf(
        "cold-start: jvm-to-handler-ready %d ms, jvm-to-first-answer %d ms (handler init %d ms),"
            + " second invocation %d ms%n",
        ready - jvmStart, first - jvmStart, ready - loadStart, second - secondStart);
    System.out.println("cold-start: first answer " + answer.substring(0, Math.min(240, answer.length())));
    System.exit(0);
  }

  /** The few Context members Quarkus reads. */
  static final class BenchContext implements Context {
    public String getAwsRequestId() { return "bench-" + System.nanoTime(); }
    public String getLogGroupName() { return "bench"; }
    public String getLogStreamName() { return "bench"; }
    public String getFunctionName() { return "keyhaven-bench"; }
    public String getFunctionVersion() { return "$LATEST"; }
    public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:111122223333:function:keyhaven-bench"; }
    public CognitoIdentity getIdentity() { return null; }
    public ClientContext getClientContext() { return null; }
    public int getRemainingTimeInMillis() { return 30_000; }
    public int getMemoryLimitInMB() { return 1024; }
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        public void log(String message) { System.out.println(message); }
        public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
      };
    }
  }
}
