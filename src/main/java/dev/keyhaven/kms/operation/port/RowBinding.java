package dev.keyhaven.kms.operation.port;

/**
 * MACs that bind a stored row's security-relevant columns to the root key (issue 16, item 6):
 * grants and identity policies (an access key's row is bound by its secret's {@link SecretWrapping}
 * purpose instead).
 */
public interface RowBinding {

  /**
   * A MAC binding a stored row's security-relevant columns (issue 16, item 6): HMAC-SHA-256, under
   * a key derived from the root key with its own label, over {@code purpose} and {@code fields},
   * each length-prefixed (so no two different lists give the same input; a null field is distinct
   * from every string). Whoever can write the database but does not hold the root key can neither
   * forge it for new contents nor move it to another row whose fields differ.
   */
  byte[] bindingMac(String purpose, String... fields);

  /** True if {@code mac} is {@link #bindingMac} of the same purpose and fields (constant time). */
  boolean matchesBindingMac(byte[] mac, String purpose, String... fields);
}
