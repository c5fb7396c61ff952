package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.BODY;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.REGION;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.SDK_SIGNED;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.kmsHeaders;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.signedKmsRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing keys are derived once per (access key, day, region, service) and never go stale. */
class SigV4SigningKeyCacheTest {
  private static final String OTHER_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  private static SecretBytes secret(String text) {
    return SecretBytes.adopt(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void verify_manyRequestsSameDay_signingKeyDerivedOnce() {
    SigV4Verifier verifier = SigV4Fixture.verifier(NOW);
    for (int i = 0; i < 5; i++) {
      verifier.verify(signedKmsRequest());
    }
    assertEquals(1, verifier.signingKeyDerivations());
  }

  @Test
  void verify_nextDay_derivedAgainOnceForThatDay() {
    AtomicReference<Instant> now = new AtomicReference<>(NOW);
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    SigV4Verifier verifier = new SigV4Verifier(REGION, "kms", clock, SigV4Fixture.lookup());
    verifier.verify(signedKmsRequest());
    now.set(NOW.plusSeconds(24 * 3600));
    SpecSigner signer = new SpecSigner(SpecSigner.AKID, SpecSigner.SECRET, REGION, "kms");
    for (int i = 0; i < 3; i++) {
      verifier.verify(SigV4Fixture.signedKmsRequest(
          signer, kmsHeaders("20260315T092653Z", BODY), SDK_SIGNED, BODY));
    }
    assertEquals(2, verifier.signingKeyDerivations());
  }

  @Test
  void signingKey_distinctDaysAndKeys_eachDerivedOnce() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(8);
    SecretBytes secret = secret(SpecSigner.SECRET);
    byte[] first = cache.signingKey("AKIDEXAMPLE", secret, "20260314", REGION, "kms").getEncoded();
    assertArrayEquals(first, cache.signingKey("AKIDEXAMPLE", secret, "20260314", REGION, "kms").getEncoded());
    assertEquals(1, cache.derivations());
    byte[] nextDay = cache.signingKey("AKIDEXAMPLE", secret, "20260315", REGION, "kms").getEncoded();
    cache.signingKey("AKIDEXAMPLE", secret, "20260315", REGION, "kms");
    cache.signingKey("AKIDOTHER", secret, "20260314", REGION, "kms");
    assertEquals(3, cache.derivations());
    assertNotEquals(SpecSigner.hex(first), SpecSigner.hex(nextDay));
  }

  @Test
  void signingKey_moreScopesThanCapacity_boundedAndStillCorrect() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(2);
    SecretBytes secret = secret(SpecSigner.SECRET);
    byte[] day1 = cache.signingKey("AKIDEXAMPLE", secret, "20260301", REGION, "kms").getEncoded();
    cache.signingKey("AKIDEXAMPLE", secret, "20260302", REGION, "kms");
    cache.signingKey("AKIDEXAMPLE", secret, "20260303", REGION, "kms");
    assertArrayEquals(day1, cache.signingKey("AKIDEXAMPLE", secret, "20260301", REGION, "kms").getEncoded());
    assertEquals(4, cache.derivations());
  }

  @Test
  void verify_secretRotatedSameDay_newSecretAcceptedOldRejected() {
    AtomicReference<String> current = new AtomicReference<>(SpecSigner.SECRET);
    AccessKeyLookup rotating = id -> SigV4Fixture.lookup(current.get()).find(id);
    SigV4Verifier verifier = new SigV4Verifier(REGION, "kms", Clock.fixed(NOW, ZoneOffset.UTC), rotating);
    verifier.verify(signedKmsRequest());
    current.set(OTHER_SECRET);
    SigV4Fixture.rejected(verifier, signedKmsRequest(), ErrorCode.INVALID_SIGNATURE);
    SpecSigner rotated = new SpecSigner(SpecSigner.AKID, OTHER_SECRET, REGION, "kms");
    verifier.verify(SigV4Fixture.signedKmsRequest(rotated, kmsHeaders(SigV4Fixture.NOW_BASIC, BODY), SDK_SIGNED, BODY));
    assertEquals(2, verifier.signingKeyDerivations());
  }
}
