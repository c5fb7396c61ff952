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
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signing keys are derived once per (access key, day, region, service), never go stale, are never
 * shared between secrets, and their reused HMAC state gives correct answers from many threads.
 */
class SigV4SigningKeyCacheTest {
  private static final String OTHER_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
  private static final String DAY = "20260314";
  private static final String BOB = "arn:aws:iam::111122223333:user/bob";

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
    Clock clock =
        new Clock() {
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
      verifier.verify(
          SigV4Fixture.signedKmsRequest(
              signer, kmsHeaders("20260315T092653Z", BODY), SDK_SIGNED, BODY));
    }
    assertEquals(2, verifier.signingKeyDerivations());
  }

  @Test
  void signingKey_distinctDaysAndKeys_eachDerivedOnce() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(8);
    SecretBytes secret = secret(SpecSigner.SECRET);
    byte[] first = cache.signingKey("AKIDEXAMPLE", secret, "20260314", REGION, "kms").encoded();
    assertArrayEquals(
        first, cache.signingKey("AKIDEXAMPLE", secret, "20260314", REGION, "kms").encoded());
    assertEquals(1, cache.derivations());
    byte[] nextDay = cache.signingKey("AKIDEXAMPLE", secret, "20260315", REGION, "kms").encoded();
    cache.signingKey("AKIDEXAMPLE", secret, "20260315", REGION, "kms");
    cache.signingKey("AKIDOTHER", secret, "20260314", REGION, "kms");
    assertEquals(3, cache.derivations());
    assertNotEquals(SpecSigner.hex(first), SpecSigner.hex(nextDay));
  }

  @Test
  void signingKey_moreScopesThanCapacity_boundedAndStillCorrect() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(2);
    SecretBytes secret = secret(SpecSigner.SECRET);
    byte[] day1 = cache.signingKey("AKIDEXAMPLE", secret, "20260301", REGION, "kms").encoded();
    cache.signingKey("AKIDEXAMPLE", secret, "20260302", REGION, "kms");
    cache.signingKey("AKIDEXAMPLE", secret, "20260303", REGION, "kms");
    assertArrayEquals(
        day1, cache.signingKey("AKIDEXAMPLE", secret, "20260301", REGION, "kms").encoded());
    assertEquals(4, cache.derivations());
  }

  @Test
  void verify_secretRotatedSameDay_newSecretAcceptedOldRejected() {
    AtomicReference<String> current = new AtomicReference<>(SpecSigner.SECRET);
    AccessKeyLookup rotating = id -> SigV4Fixture.lookup(current.get()).find(id);
    SigV4Verifier verifier =
        new SigV4Verifier(REGION, "kms", Clock.fixed(NOW, ZoneOffset.UTC), rotating);
    verifier.verify(signedKmsRequest());
    current.set(OTHER_SECRET);
    SigV4Fixture.rejected(verifier, signedKmsRequest(), ErrorCode.INVALID_SIGNATURE);
    SpecSigner rotated = new SpecSigner(SpecSigner.AKID, OTHER_SECRET, REGION, "kms");
    verifier.verify(
        SigV4Fixture.signedKmsRequest(
            rotated, kmsHeaders(SigV4Fixture.NOW_BASIC, BODY), SDK_SIGNED, BODY));
    assertEquals(2, verifier.signingKeyDerivations());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The signature per the reference signer, which shares no code or state with the cache. */
  private static byte[] reference(String secret, String stringToSign) {
    return SpecSigner.hmac(SpecSigner.signingKey(secret, DAY, REGION, "kms"), stringToSign);
  }

  @Test
  void signature_twoAccessKeysSameScopeDifferentSecrets_separateKeysEachCorrect() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(8);
    SecretBytes first = secret(SpecSigner.SECRET);
    SecretBytes second = secret(OTHER_SECRET);
    SigningKey firstKey = cache.signingKey("AKIDONE", first, DAY, REGION, "kms");
    assertNotSame(firstKey, cache.signingKey("AKIDTWO", second, DAY, REGION, "kms"));
    for (int i = 0; i < 5; i++) {
      String text = "string to sign " + i;
      assertArrayEquals(
          reference(SpecSigner.SECRET, text),
          cache.signature("AKIDONE", first, DAY, REGION, "kms", utf8(text)));
      assertArrayEquals(
          reference(OTHER_SECRET, text),
          cache.signature("AKIDTWO", second, DAY, REGION, "kms", utf8(text)));
    }
    assertEquals(2, cache.derivations());
  }

  @Test
  void signature_sameAccessKeyNewSecret_oldKeyWipedNewSecretSigns() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(8);
    SigningKey old = cache.signingKey("AKIDEXAMPLE", secret(SpecSigner.SECRET), DAY, REGION, "kms");
    assertArrayEquals(
        reference(OTHER_SECRET, "after rotation"),
        cache.signature(
            "AKIDEXAMPLE", secret(OTHER_SECRET), DAY, REGION, "kms", utf8("after rotation")));
    assertNull(old.sign(utf8("after rotation")));
    assertArrayEquals(new byte[32], old.encoded());
  }

  @Test
  void signature_keyEvictedWhileHeld_wipedAndDerivedAgain() throws Exception {
    SigningKeyCache cache = new SigningKeyCache(1);
    SecretBytes secret = secret(SpecSigner.SECRET);
    SigningKey held = cache.signingKey("AKIDEXAMPLE", secret, DAY, REGION, "kms");
    cache.signingKey("AKIDOTHER", secret, DAY, REGION, "kms");
    assertNull(held.sign(utf8("evicted")));
    assertArrayEquals(
        reference(SpecSigner.SECRET, "evicted"),
        cache.signature("AKIDEXAMPLE", secret, DAY, REGION, "kms", utf8("evicted")));
    assertEquals(3, cache.derivations());
  }

  @Test
  void verify_manyThreadsTwoAccessKeys_eachItsOwnPrincipalForgeriesRejected() throws Exception {
    AccessKeyLookup twoKeys =
        id ->
            switch (id) {
              case SpecSigner.AKID -> SigV4Fixture.lookup(SpecSigner.SECRET).find(id);
              case "AKIDBOB" ->
                  Optional.of(new AccessKeyLookup.Credential(id, BOB, secret(OTHER_SECRET)));
              default -> Optional.empty();
            };
    SigV4Verifier verifier =
        new SigV4Verifier(REGION, "kms", Clock.fixed(NOW, ZoneOffset.UTC), twoKeys);
    Map<String, String> headers = kmsHeaders(SigV4Fixture.NOW_BASIC, BODY);
    HttpRequestView alice = signedKmsRequest();
    HttpRequestView bob =
        signedKmsRequest(
            new SpecSigner("AKIDBOB", OTHER_SECRET, REGION, "kms"), headers, SDK_SIGNED, BODY);
    HttpRequestView bobIdAliceSecret =
        signedKmsRequest(
            new SpecSigner("AKIDBOB", SpecSigner.SECRET, REGION, "kms"), headers, SDK_SIGNED, BODY);
    HttpRequestView bobTampered =
        SigV4Fixture.withHeader(bob, "x-amz-target", "TrentService.Decrypt");
    verifier.verify(alice);
    verifier.verify(bob);
    List<String> wrong =
        Concurrently.wrongAnswers(
            8,
            (thread, mismatches) -> {
              for (int i = 0; i < 200; i++) {
                expectPrincipal(verifier, alice, SigV4Fixture.PRINCIPAL, mismatches);
                expectPrincipal(verifier, bob, BOB, mismatches);
                expectRejected(verifier, bobIdAliceSecret, "bob's id, alice's secret", mismatches);
                expectRejected(verifier, bobTampered, "bob's request, target changed", mismatches);
              }
            });
    assertEquals(List.of(), wrong);
    assertEquals(2, verifier.signingKeyDerivations(), "cached keys were derived again");
  }

  private static void expectPrincipal(
      SigV4Verifier verifier, HttpRequestView request, String principal, List<String> mismatches) {
    try {
      String actual = verifier.verify(request).principalArn();
      if (!principal.equals(actual)) {
        mismatches.add(principal + " verified as " + actual);
      }
    } catch (KmsException e) {
      mismatches.add(principal + " rejected: " + e.getMessage());
    }
  }

  private static void expectRejected(
      SigV4Verifier verifier, HttpRequestView request, String what, List<String> mismatches) {
    try {
      mismatches.add(what + " accepted as " + verifier.verify(request).principalArn());
    } catch (KmsException e) {
      if (e.code() != ErrorCode.INVALID_SIGNATURE) {
        mismatches.add(what + ": " + e.code());
      }
    }
  }
}
