package dev.keyhaven.kms.local;

import dev.keyhaven.kms.config.KmsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The load benchmark's floor (bench/load.sh, docs/performance.md): {@code POST
 * /_keyhaven/bench/floor} answers a fixed JSON body through the same HTTP stack as the KMS endpoint
 * (Vert.x, Quarkus REST, raw bytes in and out, a header map built, a request id, a {@code Uni}
 * answer) with no authentication, policy, database or audit. It measures what the stack alone costs
 * on this machine, so Keyhaven's throughput can be given as a ratio of it.
 *
 * <p>Measurement-only, and never reachable in production: the class is in local mode's sources (the
 * {@code local} Maven profile), so no Lambda function contains it, and even there it answers 404
 * unless {@code kms.bench.floor-endpoint=true} is set when the server starts. It reads nothing and
 * changes nothing.
 */
@Path("/_keyhaven/bench/floor")
public class BenchFloorEndpoint {
  private static final byte[] BODY = "{\"Floor\":true}".getBytes(StandardCharsets.UTF_8);

  private final boolean enabled;

  BenchFloorEndpoint(KmsConfig config) {
    this.enabled = config.bench().floorEndpoint();
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> floor(byte[] body, @Context HttpHeaders headers) {
    if (!enabled) {
      // As for any path that is none: audited, then 404 (function/http/UnroutedRequests).
      throw new NotFoundException();
    }
    // Headers are read and a request id is made, as the KMS endpoint does before its handler.
    headers.getRequestHeaders().size();
    return Uni.createFrom()
        .item(
            Response.ok(BODY)
                .header("x-amzn-RequestId", UUID.randomUUID().toString())
                .type("application/x-amz-json-1.1")
                .build());
  }
}
