package dev.keyhaven.kms.function;

import static dev.keyhaven.kms.function.SamTemplateModel.environment;
import static dev.keyhaven.kms.function.SamTemplateModel.fn;
import static dev.keyhaven.kms.function.SamTemplateModel.globalsFunction;
import static dev.keyhaven.kms.function.SamTemplateModel.properties;
import static dev.keyhaven.kms.function.SamTemplateModel.propertiesOf;
import static dev.keyhaven.kms.function.SamTemplateModel.resourcesOfType;
import static dev.keyhaven.kms.function.SamTemplateModel.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operations around the functions in {@code sam-template.yaml} (issue 19, docs/serverless.md
 * "Operations"): log groups with retention and encryption, alarms on audit events that are server
 * faults, API access logs and throttling, the JWT authorizer's default, verified TLS to the
 * database, SnapStart on the JVM packaging, the maintenance job's dead letters and the network the
 * migrate custom resource needs to reply.
 */
class SamTemplateOperationsTest {
  private static final Set<String> AUDIT_SINKS =
      Set.of("CryptoFunction", "AdminFunction", "RotationFunction");

  @Test
  void everyFunction_hasItsLogGroup_withRetentionAndOptionalKmsKey() {
    Map<String, String> groupOf = new LinkedHashMap<>();
    for (var e : resourcesOfType("AWS::Logs::LogGroup").entrySet()) {
      Map<String, Object> p = properties(e.getValue());
      String name = String.valueOf(fn(p.get("LogGroupName"), "Fn::Sub"));
      Matcher m = Pattern.compile("/aws/lambda/\\$\\{(\\w+)}").matcher(name);
      assertEquals(
          Map.of(
              "Fn::If",
              List.of(
                  "HasLogsKmsKey", Map.of("Ref", "LogsKmsKeyArn"), Map.of("Ref", "AWS::NoValue"))),
          p.get("KmsKeyId"),
          e.getKey());
      if (m.matches()) {
        String function = m.group(1);
        groupOf.put(function, e.getKey());
        String retention =
            AUDIT_SINKS.contains(function) ? "AuditLogRetentionDays" : "LogRetentionDays";
        assertEquals(Map.of("Ref", retention), p.get("RetentionInDays"), e.getKey());
      }
    }
    assertEquals(resourcesOfType("AWS::Serverless::Function").keySet(), groupOf.keySet());
    // The audit sink keeps its events long by default: 10 years.
    assertEquals(
        3653, ((Map<?, ?>) section("Parameters").get("AuditLogRetentionDays")).get("Default"));
  }

  @Test
  void auditSinks_countServerFaultsAndDependencyTimeouts_withAlarms() {
    String serverFaults =
        Stream.of(ErrorCode.values())
            .filter(c -> !c.isClientFault())
            .map(c -> "($.errorCode = \"" + c.awsType() + "\")")
            .collect(Collectors.joining(" || ", "{ ", " }"));
    String timeouts = "{ $.errorCode = \"" + ErrorCode.DEPENDENCY_TIMEOUT.awsType() + "\" }";
    Map<String, Set<String>> metricsByGroup = new LinkedHashMap<>();
    for (Map<String, Object> filter : resourcesOfType("AWS::Logs::MetricFilter").values()) {
      Map<String, Object> p = properties(filter);
      Map<?, ?> metric = (Map<?, ?>) ((List<?>) p.get("MetricTransformations")).get(0);
      String name = (String) metric.get("MetricName");
      String expected = name.equals("AuditServerErrors") ? serverFaults : timeouts;
      assertEquals(expected, p.get("FilterPattern"), name);
      metricsByGroup
          .computeIfAbsent(String.valueOf(fn(p.get("LogGroupName"), "Ref")), k -> new TreeSet<>())
          .add(name);
    }
    Set<String> both = Set.of("AuditDependencyTimeouts", "AuditServerErrors");
    assertEquals(
        Map.of("CryptoLogGroup", both, "AdminLogGroup", both, "RotationLogGroup", both),
        metricsByGroup);
    Set<String> alarmed = new TreeSet<>();
    for (Map<String, Object> alarm : resourcesOfType("AWS::CloudWatch::Alarm").values()) {
      alarmed.add(String.valueOf(properties(alarm).get("MetricName")));
      assertEquals("HasAlarmTopic", alarm.get("Condition"));
    }
    assertTrue(alarmed.containsAll(both), alarmed.toString());
  }

  @Test
  void apiStage_hasAccessLogsAndThrottlingParameters() {
    Map<String, Object> stage = propertiesOf("KmsHttpApiStage");
    Map<?, ?> throttling = (Map<?, ?>) stage.get("DefaultRouteSettings");
    assertEquals(Map.of("Ref", "ApiThrottlingRateLimit"), throttling.get("ThrottlingRateLimit"));
    assertEquals(Map.of("Ref", "ApiThrottlingBurstLimit"), throttling.get("ThrottlingBurstLimit"));
    Map<?, ?> logs = (Map<?, ?>) stage.get("AccessLogSettings");
    assertTrue(
        String.valueOf(fn(logs.get("DestinationArn"), "Fn::Sub")).endsWith("${ApiAccessLogGroup}"));
    assertTrue(String.valueOf(logs.get("Format")).contains("$context.status"));
  }

  @Test
  void jwtAuthorizer_onByDefaultWhenAnIssuerIsGiven() {
    assertEquals(
        "auto", ((Map<?, ?>) section("Parameters").get("ApiJwtAuthorizer")).get("Default"));
    assertEquals(
        Map.of(
            "Fn::Or",
            List.of(
                Map.of("Fn::Equals", List.of(Map.of("Ref", "ApiJwtAuthorizer"), "true")),
                Map.of(
                    "Fn::And",
                    List.of(
                        Map.of("Fn::Equals", List.of(Map.of("Ref", "ApiJwtAuthorizer"), "auto")),
                        Map.of(
                            "Fn::Not",
                            List.of(
                                Map.of("Fn::Equals", List.of(Map.of("Ref", "JwtIssuer"), "")))))))),
        section("Conditions").get("UseJwtAuthorizer"));
    for (Map<String, Object> route : resourcesOfType("AWS::ApiGatewayV2::Route").values()) {
      assertEquals(
          Map.of("Fn::If", List.of("UseJwtAuthorizer", "JWT", "NONE")),
          properties(route).get("AuthorizationType"));
    }
  }

  @Test
  void databaseTls_isVerifiedAgainstTheShippedAmazonRoots() throws Exception {
    Map<String, Object> env = environment(globalsFunction());
    assertNull(env.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL"));
    assertTrue(
        String.valueOf(fn(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"), "Fn::Sub"))
            .endsWith("?sslmode=verify-full"));
    assertEquals("HTTPS", env.get("QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM"));
    assertEquals(
        Map.of("Ref", "DatabaseCaCertificates"),
        env.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS"));
    String bundle =
        (String) ((Map<?, ?>) section("Parameters").get("DatabaseCaCertificates")).get("Default");
    // The default is a class-path resource of every artifact: four Amazon Trust Services roots
    // (RDS Proxy presents ACM certificates), valid today.
    List<String> subjects = new ArrayList<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(bundle)) {
      assertTrue(in != null, bundle + " is not in the build's resources");
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        X509Certificate x = (X509Certificate) c;
        x.checkValidity(new Date());
        x.verify(x.getPublicKey()); // self-signed roots
        subjects.add(x.getSubjectX500Principal().getName());
      }
    }
    assertEquals(
        List.of(
            "CN=Amazon Root CA 1,O=Amazon,C=US",
            "CN=Amazon Root CA 2,O=Amazon,C=US",
            "CN=Amazon Root CA 3,O=Amazon,C=US",
            "CN=Amazon Root CA 4,O=Amazon,C=US"),
        subjects);
  }

  @Test
  void snapStart_onPublishedVersionsOfTheJvmPackagingOnly_andEveryCallerUsesTheAlias() {
    Map<String, Object> globals = globalsFunction();
    assertEquals("live", globals.get("AutoPublishAlias"));
    assertEquals(
        Map.of("ApplyOn", Map.of("Fn::If", List.of("UseSnapStart", "PublishedVersions", "None"))),
        globals.get("SnapStart"));
    assertEquals(
        Map.of(
            "Fn::And",
            List.of(
                Map.of("Fn::Equals", List.of(Map.of("Ref", "Packaging"), "jvm")),
                Map.of("Fn::Equals", List.of(Map.of("Ref", "SnapStart"), "true")))),
        section("Conditions").get("UseSnapStart"));
    for (String permission :
        List.of("CryptoInvokePermission", "CatchAllInvokePermission", "AdminInvokePermission")) {
      String function = String.valueOf(fn(propertiesOf(permission).get("FunctionName"), "Ref"));
      assertTrue(function.endsWith(".Alias"), permission + " names " + function);
    }
  }

  @Test
  void maintenanceFailures_goToADeadLetterQueue() {
    Map<String, Object> rotation = propertiesOf("RotationFunction");
    Object queueArn = Map.of("Fn::GetAtt", "MaintenanceFailureQueue.Arn");
    Map<?, ?> onFailure =
        (Map<?, ?>)
            ((Map<?, ?>) ((Map<?, ?>) rotation.get("EventInvokeConfig")).get("DestinationConfig"))
                .get("OnFailure");
    assertEquals("SQS", onFailure.get("Type"));
    assertEquals(queueArn, onFailure.get("Destination"));
    Map<?, ?> schedule =
        (Map<?, ?>)
            ((Map<?, ?>) ((Map<?, ?>) rotation.get("Events")).get("Maintenance")).get("Properties");
    assertEquals(Map.of("Arn", queueArn), schedule.get("DeadLetterConfig"));
  }

  @Test
  void vpcEgress_mustBeStated_forTheMigrateCustomResourcesReply() {
    Map<?, ?> egress = (Map<?, ?>) section("Parameters").get("VpcEgress");
    assertFalse(
        egress.containsKey("Default"), "the deployer must say how the reply leaves the VPC");
    assertEquals(List.of("nat-gateway", "s3-gateway-endpoint"), egress.get("AllowedValues"));
    assertEquals(
        List.of("MigrateLogGroup"),
        List.of(((Map<?, ?>) section("Resources").get("SchemaMigration")).get("DependsOn")));
  }
}
