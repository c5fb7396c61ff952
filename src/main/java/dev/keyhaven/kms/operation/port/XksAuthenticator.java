package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import io.smallrye.mutiny.Uni;

/**
 * Establishes which external key store's credential signed an XKS proxy API request (SigV4,
 * aws-kms-xksproxy-api-spec "Authentication" and Appendix A). It accepts only key store principals'
 * access keys, and fails with an AWS authentication error (the XKS endpoint answers each as
 * AuthenticationFailedException), never a 500.
 */
public interface XksAuthenticator {

  Uni<CallerIdentity> authenticate(HttpRequestView request);
}
