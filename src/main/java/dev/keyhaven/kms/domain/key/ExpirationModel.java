package dev.keyhaven.kms.domain.key;

/** AWS KMS ExpirationModelType of imported key material (ImportKeyMaterial ExpirationModel). */
public enum ExpirationModel implements AwsEnum {
  KEY_MATERIAL_EXPIRES,
  KEY_MATERIAL_DOES_NOT_EXPIRE;
}
