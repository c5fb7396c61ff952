package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The statements docs/fips.md makes about BC-FIPS 2.1.2 in approved-only mode, checked on every
 * build so a provider upgrade that changes them fails here:
 *
 * <ul>
 *   <li>secp256k1 is served by the approved module (key generation, ECDSA) — no non-approved path
 *       is needed for ECC_SECG_P256K1;
 *   <li>RSA-OAEP is offered only as key wrapping (the JCA cipher refuses ENCRYPT/DECRYPT), which is
 *       why {@link FipsRsaOaep} uses the module's key-wrap service;
 *   <li>there is no RSASSA-PSS over a precomputed digest: {@code SHA256withRSA/PSS} hashes what it
 *       is given, and no raw ("NONE") PSS signature exists — hence {@link PrehashedRsaPss};
 *   <li>when the module refuses to reuse an RSA modulus for another purpose, Keyhaven answers
 *       UnsupportedOperationException;
 *   <li>Ed25519 (key generation, PureEdDSA sign and verify) is served in approved-only mode, so
 *       ED25519_SHA_512 needs no path around the module;
 *   <li>the module's Ed25519ph hashes what it is given (there is no Ed25519ph over a precomputed
 *       digest) — hence {@link PrehashedEd25519}, whose signature over SHA-512(M) must equal the
 *       module's approved Ed25519ph over M.
 * </ul>
 */
class FipsCapabilitiesTest {

  @Test
  void secp256k1_generatesAndSignsInApprovedOnlyMode() throws Exception {
    assertTrue(Fips.isApprovedOnlyMode());
    var pair = FipsKeyPairs.generate(KeySpec.ECC_SECG_P256K1);
    byte[] message = {1, 2, 3};
    byte[] signature =
        FipsSignatures.sign(
            SigningAlgorithm.ECDSA_SHA_256,
            FipsKeyPairs.privateKey(KeySpec.ECC_SECG_P256K1, pair.privateKey().exposeForCrypto()),
            message,
            MessageType.RAW);
    assertTrue(
        FipsSignatures.verify(
            SigningAlgorithm.ECDSA_SHA_256,
            FipsKeyPairs.publicKey(KeySpec.ECC_SECG_P256K1, pair.publicKey()),
            message,
            MessageType.RAW,
            signature));
  }

  @Test
  void ed25519_generatesSignsAndVerifiesInApprovedOnlyMode() throws Exception {
    assertTrue(Fips.isApprovedOnlyMode());
    var pair = FipsKeyPairs.generate(KeySpec.ECC_NIST_EDWARDS25519);
    assertEquals(48, pair.privateKey().exposeForCrypto().length, "RFC 8410 PKCS#8");
    assertEquals(44, pair.publicKey().length, "RFC 8410 SubjectPublicKeyInfo");
    byte[] message = {1, 2, 3};
    Signature signer = Signature.getInstance("Ed25519", Fips.PROVIDER);
    signer.initSign(
        FipsKeyPairs.privateKey(
            KeySpec.ECC_NIST_EDWARDS25519, pair.privateKey().exposeForCrypto()));
    signer.update(message);
    byte[] signature = signer.sign();
    assertEquals(64, signature.length);
    assertTrue(
        FipsSignatures.verify(
            SigningAlgorithm.ED25519_SHA_512,
            FipsKeyPairs.publicKey(KeySpec.ECC_NIST_EDWARDS25519, pair.publicKey()),
            message,
            MessageType.RAW,
            signature));
  }

  @Test
  void ed25519ph_moduleHashesItsInput_prehashedEd25519EqualsItOverTheDigest() throws Exception {
    var pair = FipsKeyPairs.generate(KeySpec.ECC_NIST_EDWARDS25519);
    var privateKey =
        FipsKeyPairs.privateKey(KeySpec.ECC_NIST_EDWARDS25519, pair.privateKey().exposeForCrypto());
    byte[] message = "pre-hashed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] digest = Ed25519VectorsTest.sha512(message);
    Signature module = Signature.getInstance("Ed25519ph", Fips.PROVIDER);
    module.initSign(privateKey);
    module.update(message);
    byte[] overMessage = module.sign();
    module.initSign(privateKey);
    module.update(digest);
    byte[] overDigest = module.sign();
    byte[] ours =
        FipsSignatures.sign(
            SigningAlgorithm.ED25519_PH_SHA_512, privateKey, digest, MessageType.DIGEST);
    assertArrayEquals(
        overMessage,
        ours,
        "Ed25519ph is deterministic: ours over SHA-512(M) = the module's over M");
    assertFalse(java.util.Arrays.equals(overDigest, ours), "the module hashes the digest again");
  }

  @Test
  void rsaOaep_jcaCipherRefusesEncryptMode_keyWrapServiceWorks() throws Exception {
    var pair = FipsKeyPairs.generate(KeySpec.RSA_2048);
    Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", Fips.PROVIDER);
    assertThrows(
        java.security.InvalidParameterException.class,
        () ->
            cipher.init(
                Cipher.ENCRYPT_MODE,
                FipsKeyPairs.publicKey(KeySpec.RSA_2048, pair.publicKey()),
                Fips.drbg()));
    byte[] empty = new byte[0];
    assertArrayEquals(
        empty,
        FipsRsaOaep.decrypt(
            HashAlgorithm.SHA_256,
            pair.privateKey().exposeForCrypto(),
            FipsRsaOaep.encrypt(HashAlgorithm.SHA_256, pair.publicKey(), empty)));
  }

  @Test
  void rsaPss_noPrehashedSignature_andTheModuleHashesItsInput() throws Exception {
    assertThrows(
        java.security.NoSuchAlgorithmException.class,
        () -> Signature.getInstance("NONEwithRSA/PSS", Fips.PROVIDER));
    assertThrows(
        java.security.NoSuchAlgorithmException.class,
        () -> Signature.getInstance("NONEwithRSASSA-PSS", Fips.PROVIDER));
    var pair = FipsKeyPairs.generate(KeySpec.RSA_2048);
    byte[] digest = EcdsaWycheproofTest.sha(SigningAlgorithm.RSASSA_PSS_SHA_256, new byte[] {7});
    Signature pss = Signature.getInstance("SHA256withRSA/PSS", Fips.PROVIDER);
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initSign(
        FipsKeyPairs.privateKey(KeySpec.RSA_2048, pair.privateKey().exposeForCrypto()),
        Fips.drbg());
    pss.update(digest);
    byte[] overDigest = pss.sign();
    // Signed "over the digest" by the module = a signature of the digest as a message, not of {7}.
    assertEquals(
        false,
        FipsSignatures.verify(
            SigningAlgorithm.RSASSA_PSS_SHA_256,
            FipsKeyPairs.publicKey(KeySpec.RSA_2048, pair.publicKey()),
            new byte[] {7},
            MessageType.RAW,
            overDigest));
  }

  // The module's refusal to reuse an RSA modulus for another purpose is best effort (it forgets
  // moduli no longer referenced), so what is pinned is Keyhaven's answer when it happens.
  @Test
  void rsaModulusReuseRefusal_isAnsweredAsUnsupportedOperation() {
    RuntimeException answer =
        FipsAsymmetricCrypto.rsaUsageConflict(
            new java.security.InvalidKeyException(
                "cannot initialize for signing: Attempt to sign/verify with RSA modulus already"
                    + " used for encrypt/decrypt."));
    assertEquals(
        dev.keyhaven.kms.domain.error.ErrorCode.UNSUPPORTED_OPERATION,
        ((dev.keyhaven.kms.domain.error.KmsException) answer).code());
    assertTrue(
        FipsAsymmetricCrypto.rsaUsageConflict(new java.security.InvalidKeyException("other"))
            instanceof IllegalStateException);
  }
}
