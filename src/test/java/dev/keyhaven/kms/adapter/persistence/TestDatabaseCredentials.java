package dev.keyhaven.kms.adapter.persistence;

import io.quarkus.arc.Unremovable;
import io.quarkus.credentials.CredentialsProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A credentials provider for {@link CredentialsProviderPoolTest}: the test database's user and
 * password, or a wrong password while {@link #wrong} is set; counts how often it is asked.
 */
@ApplicationScoped
@Named(TestDatabaseCredentials.NAME)
@Unremovable
public class TestDatabaseCredentials implements CredentialsProvider {
  static final String NAME = "keyhaven-test-credentials";
  private final AtomicInteger asked = new AtomicInteger();
  private volatile boolean wrong;

  /** How often it was asked (a method: a client proxy's fields are not the bean's). */
  public int asked() {
    return asked.get();
  }

  /** Answers a wrong password from now on, or the right one again. */
  public void wrong(boolean wrong) {
    this.wrong = wrong;
  }

  @Override
  public Map<String, String> getCredentials(String credentialsProviderName) {
    asked.incrementAndGet();
    var config = ConfigProvider.getConfig();
    String user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse("");
    String password =
        config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
    return Map.of(
        USER_PROPERTY_NAME, user, PASSWORD_PROPERTY_NAME, wrong ? password + "-wrong" : password);
  }
}
