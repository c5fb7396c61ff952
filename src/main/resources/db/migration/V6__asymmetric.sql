-- Keyhaven schema v6: asymmetric (RSA, ECC) keys (docs/key-hierarchy.md).
-- An asymmetric key's private key (PKCS#8 DER) is stored like every other material version:
-- wrapped under the root key in key_material.wrapped. Its public key is not secret and is kept
-- in clear beside it, so GetPublicKey and Verify read it without unwrapping anything. Symmetric
-- and HMAC keys have no public key (null).
ALTER TABLE key_material ADD COLUMN public_key bytea;
