package dev.keyhaven.kms.function.rotation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.keyhaven.kms.operation.port.DatabaseSetup;
import jakarta.inject.Named;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The deploy-time migration handler ({@code QUARKUS_LAMBDA_HANDLER=migrate}, same artifact as the
 * rotation function): applies pending schema migrations, so no function ever runs DDL in a
 * request's cold start (docs/serverless.md).
 *
 * <p>Invoked either directly ({@code aws lambda invoke}, any payload; answers {@code {"Applied":
 * n}}) or as a CloudFormation custom resource on every deployment ({@link CustomResourceReply}
 * answers CloudFormation's pre-signed URL; Delete does nothing). Migrations are applied once each
 * under an advisory lock, so a repeated or concurrent invocation is safe.
 */
@Named("migrate")
public class MigrateFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Logger LOG = Logger.getLogger(MigrateFunction.class);

  private final DatabaseSetup database;
  private final CustomResourceReply reply;

  MigrateFunction(DatabaseSetup database, CustomResourceReply reply) {
    this.database = database;
    this.reply = reply;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    boolean customResource = CustomResourceReply.isCustomResourceEvent(event);
    if (customResource && "Delete".equals(event.get("RequestType"))) {
      reply.send(event, true, "nothing to do on Delete", Map.of());
      return Map.of("Applied", 0);
    }
    try {
      int applied = database.migrate();
      LOG.infof("schema migrations applied: %d", applied);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("Applied", applied);
      if (customResource) {
        reply.send(event, true, "applied " + applied + " migration(s)", data);
      }
      return data;
    } catch (Throwable e) {
      LOG.error("schema migration failed", e);
      if (customResource) {
        // CloudFormation shows the reason; the details stay in the function's log.
        reply.send(event, false, "schema migration failed; see the function's log", Map.of());
        return Map.of("Applied", 0);
      }
      throw new IllegalStateException("schema migration failed", e);
    }
  }
}
