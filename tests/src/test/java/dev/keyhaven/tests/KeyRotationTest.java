package dev.keyhaven.tests;

import static dev.keyhaven.tests.Fixtures.assertKmsError;
import static dev.keyhaven.tests.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyMaterialState;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.RotationType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/**
 * Rotation through the AWS SDK: EnableKeyRotation / DisableKeyRotation / GetKeyRotationStatus,
 * RotateKeyOnDemand with every earlier ciphertext still decrypting, ListKeyRotations in order and
 * paged, and the typed errors. (Automatic rotation and deletion need time to pass; the in-process
 * suite drives them with a test clock.)
 */
class KeyRotationTest {
  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClients.client();
  }

  @AfterAll
  static void close() {
    kms.close();
  }

  @Test
  void enableKeyRotation_customPeriod_statusShowsPeriodAndNextDate() {
    String keyId = Fixtures.newKey(kms, "rotation-status").keyId();
    GetKeyRotationStatusResponse off = kms.getKeyRotationStatus(b -> b.keyId(keyId));
    assertFalse(off.keyRotationEnabled());
    assertNull(off.rotationPeriodInDays());
    Instant before = Instant.now().minusSeconds(5);
    kms.enableKeyRotation(b -> b.keyId(keyId).rotationPeriodInDays(180));
    GetKeyRotationStatusResponse on = kms.getKeyRotationStatus(b -> b.keyId(keyId));
    assertTrue(on.keyRotationEnabled());
    assertEquals(keyId, on.keyId());
    assertEquals(180, on.rotationPeriodInDays());
    Instant next = on.nextRotationDate();
    assertTrue(
        !next.isBefore(before.plus(Duration.ofDays(180)))
            && next.isBefore(Instant.now().plus(Duration.ofDays(180)).plusSeconds(120)),
        next::toString);
    assertNull(on.onDemandRotationStartDate());
    kms.disableKeyRotation(b -> b.keyId(keyId));
    assertFalse(kms.getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled());
  }

  @Test
  void rotateKeyOnDemand_threeTimes_everyCiphertextDecryptsAndListIsInOrder() {
    KeyMetadata key = Fixtures.newKey(kms, "rotation-on-demand");
    String keyId = key.keyId();
    List<String> materialIds = new ArrayList<>();
    List<SdkBytes> ciphertexts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      materialIds.add(kms.describeKey(b -> b.keyId(keyId)).keyMetadata().currentKeyMaterialId());
      String text = "version " + (i + 1);
      ciphertexts.add(kms.encrypt(b -> b.keyId(keyId).plaintext(utf8(text))).ciphertextBlob());
      if (i < 3) {
        // Recorded against AWS (issue 26): the response's KeyId is the key ARN.
        assertEquals(key.arn(), kms.rotateKeyOnDemand(b -> b.keyId(keyId)).keyId());
      }
    }
    assertEquals(4, materialIds.stream().distinct().count());
    for (int i = 0; i < 4; i++) {
      SdkBytes blob = ciphertexts.get(i);
      assertEquals(
          "version " + (i + 1),
          kms.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String());
    }
    List<RotationsListEntry> rotations = kms.listKeyRotations(b -> b.keyId(keyId)).rotations();
    assertEquals(3, rotations.size());
    for (int i = 0; i < 3; i++) {
      RotationsListEntry entry = rotations.get(i);
      assertEquals(keyId, entry.keyId());
      assertEquals(materialIds.get(i + 1), entry.keyMaterialId());
      assertEquals(RotationType.ON_DEMAND, entry.rotationType());
      assertEquals(
          i == 2 ? KeyMaterialState.CURRENT : KeyMaterialState.NON_CURRENT,
          entry.keyMaterialState());
      if (i > 0) {
        assertFalse(entry.rotationDate().isBefore(rotations.get(i - 1).rotationDate()));
      }
    }
    List<RotationsListEntry> all =
        kms.listKeyRotations(
                b -> b.keyId(keyId).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
            .rotations();
    assertEquals(materialIds, all.stream().map(RotationsListEntry::keyMaterialId).toList());
    assertNull(all.get(0).rotationType());
  }

  // Recorded against AWS (issue 26): RotateKeyOnDemand checks the key state before the spec — a
  // disabled RSA_4096 key answers DisabledException — and an enabled RSA key answers
  // UnsupportedOperationException without a message member.
  @Test
  void rotateKeyOnDemand_rsaKey_stateBeforeSpecAndNoMessage() {
    String keyId =
        kms.createKey(
                b ->
                    b.description("e2e rsa rotation")
                        .keySpec(KeySpec.RSA_4096)
                        .keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
            .keyMetadata()
            .keyId();
    UnsupportedOperationException unsupported =
        assertKmsError(
            UnsupportedOperationException.class, () -> kms.rotateKeyOnDemand(b -> b.keyId(keyId)));
    assertNull(unsupported.awsErrorDetails().errorMessage());
    kms.disableKey(b -> b.keyId(keyId));
    assertKmsError(DisabledException.class, () -> kms.rotateKeyOnDemand(b -> b.keyId(keyId)));
  }

  @Test
  void listKeyRotations_limitOne_pagesWithMarkers() {
    String keyId = Fixtures.newKey(kms, "rotation-pages").keyId();
    for (int i = 0; i < 3; i++) {
      kms.rotateKeyOnDemand(b -> b.keyId(keyId));
    }
    List<String> seen = new ArrayList<>();
    String marker = null;
    do {
      String current = marker;
      ListKeyRotationsResponse page =
          kms.listKeyRotations(b -> b.keyId(keyId).limit(1).marker(current));
      page.rotations().forEach(r -> seen.add(r.keyMaterialId()));
      marker = page.truncated() ? page.nextMarker() : null;
    } while (marker != null);
    assertEquals(
        kms.listKeyRotations(b -> b.keyId(keyId)).rotations().stream()
            .map(RotationsListEntry::keyMaterialId)
            .toList(),
        seen);
    assertKmsError(
        InvalidMarkerException.class,
        () -> kms.listKeyRotations(b -> b.keyId(keyId).marker("not a marker")));
  }

  @Test
  void rotation_badInputAndKeyStates_typedAwsErrors() {
    String keyId = Fixtures.newKey(kms, "rotation-errors").keyId();
    assertKmsError(
        "ValidationException",
        () -> kms.enableKeyRotation(b -> b.keyId(keyId).rotationPeriodInDays(89)));
    assertKmsError(
        "ValidationException",
        () -> kms.enableKeyRotation(b -> b.keyId(keyId).rotationPeriodInDays(2561)));
    assertKmsError(
        NotFoundException.class,
        () -> kms.rotateKeyOnDemand(b -> b.keyId("11111111-2222-3333-4444-555555555555")));
    kms.disableKey(b -> b.keyId(keyId));
    assertKmsError(DisabledException.class, () -> kms.enableKeyRotation(b -> b.keyId(keyId)));
    assertKmsError(DisabledException.class, () -> kms.rotateKeyOnDemand(b -> b.keyId(keyId)));
    kms.enableKey(b -> b.keyId(keyId));
    kms.enableKeyRotation(b -> b.keyId(keyId));
    kms.scheduleKeyDeletion(b -> b.keyId(keyId).pendingWindowInDays(7));
    assertKmsError(
        KmsInvalidStateException.class, () -> kms.rotateKeyOnDemand(b -> b.keyId(keyId)));
    // GetKeyRotationStatus: false while pending deletion, restored when cancelled.
    assertFalse(kms.getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled());
    kms.cancelKeyDeletion(b -> b.keyId(keyId));
    assertTrue(kms.getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled());
  }
}
