package dev.keyhaven.kms.function.rotation;

import dev.keyhaven.kms.protocol.JsonCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a CloudFormation custom resource request (AWS CloudFormation User Guide, "Custom
 * resources", response objects): a {@code PUT} of {@code {Status, Reason, PhysicalResourceId,
 * StackId, RequestId, LogicalResourceId, Data}} to the request's pre-signed {@code ResponseURL}.
 * Without it CloudFormation waits for an hour, so every request gets exactly one answer. Null
 * members are left out (a Reason is required only with FAILED).
 */
@ApplicationScoped
public class CustomResourceReply {
  static final String PHYSICAL_ID = "keyhaven-schema";

  private final JsonCodec json = new JsonCodec();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static boolean isCustomResourceEvent(Map<String, Object> event) {
    return event != null
        && event.get("RequestType") instanceof String
        && event.get("ResponseURL") instanceof String;
  }

  void send(Map<String, Object> event, boolean success, String reason, Map<String, Object> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Status", success ? "SUCCESS" : "FAILED");
    body.put("Reason", reason);
    body.put("PhysicalResourceId", PHYSICAL_ID);
    body.put("StackId", event.get("StackId"));
    body.put("RequestId", event.get("RequestId"));
    body.put("LogicalResourceId", event.get("LogicalResourceId"));
    body.put("Data", data);
    try {
      byte[] bytes = json.write(body);
      HttpRequest put =
          HttpRequest.newBuilder(URI.create((String) event.get("ResponseURL")))
              .timeout(Duration.ofSeconds(30))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
              .build();
      HttpResponse<Void> answer = http.send(put, HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() / 100 != 2) {
        throw new IllegalStateException("CloudFormation answered " + answer.statusCode());
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not answer the CloudFormation custom resource", e);
    }
  }
}
