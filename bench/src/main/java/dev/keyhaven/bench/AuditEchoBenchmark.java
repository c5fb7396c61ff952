package dev.keyhaven.bench;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.operation.AuditRecorder;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.FileHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The audit log sink's cost per group commit of {@code batch} Encrypt events (canonical JSON of a
 * realistic event, ~0.9 KB): through the JBoss LogManager writer handler the sink's console handler
 * is (format {@code %s%n}, flushed after every record), once per event — as the request pipeline
 * echoed before — or once per batch with the lines joined ({@code AuditEcho}). Written to {@code
 * /dev/null}: the write syscalls happen, no disk fills.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuditEchoBenchmark {
  private static final String FQCN = AuditEchoBenchmark.class.getName();

  @Param({"1", "4", "16"})
  public int batch;

  private FileHandler handler;
  private List<AuditRecord> records;

  @Setup
  public void setUp() throws Exception {
    handler = new FileHandler(new PatternFormatter("%s%n"), new File("/dev/null"), true);
    handler.setAutoFlush(true);
    records = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      records.add(AuditRecord.of(event(i)));
    }
  }

  @TearDown
  public void tearDown() {
    handler.close();
  }

  @Benchmark
  public void perEvent() {
    for (AuditRecord record : records) {
      handler.publish(
          new ExtLogRecord(
              Level.INFO,
              new String(record.canonical(), StandardCharsets.UTF_8),
              ExtLogRecord.FormatStyle.NO_FORMAT,
              FQCN));
    }
  }

  @Benchmark
  public void perBatch() {
    handler.publish(
        new ExtLogRecord(
            Level.INFO, AuditRecorder.lines(records), ExtLogRecord.FormatStyle.NO_FORMAT, FQCN));
  }

  private static AuditEvent event(int i) {
    String account = "111122223333";
    String keyArn = "arn:aws:kms:us-east-1:" + account + ":key/" + UUID.randomUUID();
    return new AuditEvent(
        new AuditEvent.UserIdentity(
            "AssumedRole",
            "App:session-" + i,
            "arn:aws:sts::" + account + ":assumed-role/App/session-" + i,
            account,
            null,
            "https://issuer.example",
            "subject-" + i,
            null),
        Instant.now(),
        "Encrypt",
        "us-east-1",
        "10.0.0." + i,
        "aws-sdk-java/2.57.8 Linux/6 OpenJDK_64-Bit_Server_VM/17",
        null,
        null,
        Map.of("keyId", keyArn, "encryptionContext", Map.of("tenant", "t" + i)),
        null,
        null,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        true,
        List.of(AuditEvent.Resource.kmsKey(account, keyArn)),
        AuditEvent.API_CALL,
        account);
  }
}
