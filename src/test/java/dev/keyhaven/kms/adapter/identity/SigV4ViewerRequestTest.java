package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.signedKmsRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.function.http.ViewerRequest;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SigV4 call through the single endpoint (docs/serverless.md, "One endpoint"): the client signs
 * {@code POST /} for the front's host; API Gateway delivers it with its own host and, for an admin
 * action, the path {@code /admin}, plus the router's {@code x-keyhaven-viewer-*} headers. {@link
 * ViewerRequest#asSigned} restores what was signed, and the signature verifies.
 */
class SigV4ViewerRequestTest {
  private static final String API_HOST = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  /** What API Gateway hands the function after CloudFront and the router. */
  private static HttpRequestView throughTheFront(HttpRequestView signed, String deliveredPath) {
    Map<String, String> headers = new HashMap<>(signed.headers());
    headers.put(ViewerRequest.VIEWER_HOST, signed.headers().get("host"));
    headers.put(ViewerRequest.VIEWER_URI, signed.path());
    headers.put("host", API_HOST);
    headers.put("via", "2.0 0123456789abcdef.cloudfront.net (CloudFront)");
    return new HttpRequestView("POST", deliveredPath, "", headers, signed.body());
  }

  @Test
  void signedForTheFront_deliveredRewritten_verifies() throws Exception {
    HttpRequestView signed = signedKmsRequest();
    for (String path : new String[] {"/", "/admin"}) {
      HttpRequestView delivered = throughTheFront(signed, path);
      assertEquals(
          new Credential.SigV4("AKIDEXAMPLE"),
          SigV4Fixture.verifier(NOW).verify(ViewerRequest.asSigned(delivered)).credential());
    }
  }

  @Test
  void withoutRestoring_theDeliveredRequestDoesNotVerify() {
    // The control: the host and path API Gateway delivers are not what the client signed.
    SigV4Fixture.rejected(
        SigV4Fixture.verifier(NOW),
        throughTheFront(signedKmsRequest(), "/admin"),
        ErrorCode.INVALID_SIGNATURE);
  }

  @Test
  void asSigned_dropsTheViewerHeaders_andLeavesOtherRequestsAlone() {
    HttpRequestView signed = signedKmsRequest();
    HttpRequestView restored = ViewerRequest.asSigned(throughTheFront(signed, "/admin"));
    assertEquals("/", restored.path());
    assertEquals(signed.headers().get("host"), restored.headers().get("host"));
    assertEquals(null, restored.headers().get(ViewerRequest.VIEWER_HOST));
    assertEquals(null, restored.headers().get(ViewerRequest.VIEWER_URI));
    assertEquals(signed, ViewerRequest.asSigned(signed));
  }
}
