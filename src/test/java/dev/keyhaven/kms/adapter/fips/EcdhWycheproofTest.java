package dev.keyhaven.kms.adapter.fips;

import static dev.keyhaven.kms.adapter.fips.TestVectors.hex;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeySpec;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof ECDH vectors through {@link FipsEcdh}, DeriveSharedSecret's code: the peer's public
 * key arrives as DER SubjectPublicKeyInfo ({@code ecdh_secp{256,384,521}r1_test.json}) or as a raw
 * point that the test wraps in a SubjectPublicKeyInfo on the file's curve ({@code
 * *_ecpoint_test.json}: invalid-curve and twist points, bad encodings). Valid cases give the
 * vector's shared secret; invalid ones (other curves, points off the curve, invalid-curve attacks,
 * bad encodings) are ValidationException and never a secret.
 *
 * <p>{@code acceptable} decisions: a compressed public point (SEC 1 §2.3.3) is accepted and gives
 * the right secret; a key with explicit curve parameters ("UnnamedCurve") or a non-DER encoding
 * ("InvalidAsn") is refused — RFC 5480 keys name their curve, and public keys are DER.
 */
class EcdhWycheproofTest {

  private static void run(VectorTally tally, String file, KeySpec spec, boolean rawPoints) {
    VectorTally.forEachCase(
        file,
        rawPoints ? "ecdh_ecpoint_test_schema_v1.json" : "ecdh_test_schema_v1.json",
        (group, test) -> {
          String label = VectorTally.label(file, test);
          String result = test.get("result").asText();
          boolean compressed = VectorTally.hasFlag(test, "CompressedPublic");
          String category =
              result.equals("acceptable")
                  ? (compressed ? "acceptable:compressed" : "acceptable:refused")
                  : result;
          boolean expected = result.equals("valid") || compressed;
          byte[] peer = rawPoints ? spki(spec, hex(test, "public")) : hex(test, "public");
          byte[] shared;
          try {
            shared =
                FipsEcdh.derive(spec, privateKey(spec, hex(test, "private")), peer)
                    .exposeForCrypto();
          } catch (KmsException e) {
            if (e.code() != ErrorCode.VALIDATION) {
              tally.mismatch(label, "threw " + e.code());
              return;
            }
            shared = null;
          }
          tally.expect(
              category,
              label,
              expected,
              shared != null && Arrays.equals(hex(test, "shared"), shared));
        });
  }

  private static PrivateKey privateKey(KeySpec spec, byte[] d) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC", Fips.PROVIDER);
      parameters.init(new ECGenParameterSpec(FipsKeyPairs.curveName(spec)));
      return KeyFactory.getInstance("EC", Fips.PROVIDER)
          .generatePrivate(
              new ECPrivateKeySpec(
                  new BigInteger(1, d), parameters.getParameterSpec(ECParameterSpec.class)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] spki(KeySpec spec, byte[] point) {
    try {
      return new SubjectPublicKeyInfo(
              new AlgorithmIdentifier(
                  X9ObjectIdentifiers.id_ecPublicKey, FipsKeyPairs.curveOid(spec)),
              point)
          .getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Integer> counts(Object... pairs) {
    Map<String, Integer> map = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return map;
  }

  @Test
  void derive_spkiPeerKeys_validGiveTheSecretInvalidRefused() {
    VectorTally tally = new VectorTally();
    run(tally, "ecdh_secp256r1_test.json", KeySpec.ECC_NIST_P256, false);
    run(tally, "ecdh_secp384r1_test.json", KeySpec.ECC_NIST_P384, false);
    run(tally, "ecdh_secp521r1_test.json", KeySpec.ECC_NIST_P521, false);
    tally.assertClean(
        counts(
            "valid",
            330 + 771 + 632,
            "invalid",
            52 + 46 + 56,
            "acceptable:compressed",
            3,
            "acceptable:refused",
            229 + 229 + 227));
  }

  @Test
  void derive_rawPointPeerKeys_invalidCurveAndTwistPointsRefused() {
    VectorTally tally = new VectorTally();
    run(tally, "ecdh_secp256r1_ecpoint_test.json", KeySpec.ECC_NIST_P256, true);
    run(tally, "ecdh_secp384r1_ecpoint_test.json", KeySpec.ECC_NIST_P384, true);
    run(tally, "ecdh_secp521r1_ecpoint_test.json", KeySpec.ECC_NIST_P521, true);
    tally.assertClean(
        counts("valid", 330 + 771 + 632, "invalid", 24 + 18 + 28, "acceptable:compressed", 3));
  }
}
