package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.ExpirationModel;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Origin;
import dev.keyhaven.kms.domain.key.Rotation;
import dev.keyhaven.kms.domain.policy.DefaultKeyPolicy;
import dev.keyhaven.kms.operation.port.AliasRepository;
import dev.keyhaven.kms.operation.port.KeyRepository;
import dev.keyhaven.kms.operation.port.ServiceEventLog;
import dev.keyhaven.kms.operation.port.ServiceEventLog.ServiceEvent;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Keys from a seed file, for development and CI (local mode only: the launcher's {@code ./kms dev
 * --seed}, docs/configuration.md "Seeded keys"): each with a fixed key id, and its description,
 * tags, key policy, aliases, rotation setting and — optionally — imported material.
 *
 * <p>Contract: {@link #problems} checks every key by the rules the API applies (AWS's key spec ×
 * usage matrix, tag, alias and policy rules, imported material against the spec); only a seed
 * without problems is {@link #apply applied}. A key whose id does not exist yet is created in one
 * transaction with its aliases, each action audited as a service event in that transaction ({@code
 * CreateKey}, {@code ImportKeyMaterial}, {@code EnableKeyRotation}, {@code CreateAlias}, with
 * {@code serviceEventDetails.seedFile}); a key that exists is never changed — each way it differs
 * from the file is reported instead. The key policy's grammar is checked, its lockout check is not
 * (no caller stands behind a seed).
 */
@ApplicationScoped
public class KeySeeding {
  /** Every report line about a difference (an existing key or alias left as it is) holds this. */
  public static final String LEFT_ALONE = "left alone";

  /**
   * One key of a seed file.
   *
   * @param keyUsage null for the spec's default (SYMMETRIC_DEFAULT only)
   * @param policy null for the default key policy
   * @param rotationPeriodInDays automatic rotation on with this period, or null for off
   * @param keyMaterial material to import (Origin EXTERNAL, KEY_MATERIAL_DOES_NOT_EXPIRE), or null
   *     for material Keyhaven generates: the raw key of a symmetric or HMAC key, the PKCS#8 DER
   *     private key of a key pair
   */
  public record SeedKey(
      UUID keyId,
      String description,
      KeySpec keySpec,
      KeyUsage keyUsage,
      List<String> aliases,
      Map<String, String> tags,
      String policy,
      Integer rotationPeriodInDays,
      SecretBytes keyMaterial) {}

  /** Where seeded keys go: the local account and region, and the file's name for the trail. */
  public record Target(String partition, String region, String accountId, String seedFile) {}

  private final KeyRepository keys;
  private final AliasRepository aliases;
  private final KeyMaterials materials;
  private final ServiceEventLog events;
  private final Transactions transactions;

  KeySeeding(
      KeyRepository keys,
      AliasRepository aliases,
      KeyMaterials materials,
      ServiceEventLog events,
      Transactions transactions) {
    this.keys = keys;
    this.aliases = aliases;
    this.materials = materials;
    this.events = events;
    this.transactions = transactions;
  }

  /**
   * Every problem of {@code seed}, each naming its field ({@code Keys[2].KeyUsage: …}); empty when
   * it may be applied. {@code path} names the list ({@code Keys}).
   */
  public List<String> problems(String path, List<SeedKey> seed) {
    return new SeedRules(materials).problems(path, seed);
  }

  /**
   * Applies {@code seed} (which has no {@link #problems}) key by key; the item is one line per key
   * and per difference found: what was created, or how an existing key differs from the file.
   */
  public Uni<List<String>> apply(Target target, List<SeedKey> seed, Instant now) {
    List<String> report = new ArrayList<>();
    Uni<Void> done = Uni.createFrom().voidItem();
    for (SeedKey key : seed) {
      done = done.chain(() -> applyOne(target, key, now).invoke(report::addAll)).replaceWithVoid();
    }
    return done.replaceWith(report);
  }

  private Uni<List<String>> applyOne(Target target, SeedKey seed, Instant now) {
    return keys.findById(seed.keyId())
        .chain(
            found ->
                found.isPresent()
                    ? differences(target, seed, found.get())
                    : transactions.inTransaction(() -> create(target, seed, now)));
  }

  private Uni<List<String>> create(Target target, SeedKey seed, Instant now) {
    KeyArn arn = new KeyArn(target.partition(), target.region(), target.accountId(), seed.keyId());
    boolean imported = seed.keyMaterial() != null;
    String materialId = materials.newKeyMaterialId();
    KmsKey key =
        new KmsKey(
            arn,
            seed.keySpec(),
            usageOf(seed),
            imported ? Origin.EXTERNAL : Origin.AWS_KMS,
            imported ? KeyState.PENDING_IMPORT : KeyState.ENABLED,
            seed.description(),
            now,
            null,
            null,
            1,
            materialId,
            seed.rotationPeriodInDays() == null
                ? Rotation.NONE
                : Rotation.NONE.enable(now, seed.rotationPeriodInDays()),
            policyOf(target, seed),
            new LinkedHashMap<>(seed.tags()),
            null,
            0);
    List<ServiceEvent> audit = new ArrayList<>();
    audit.add(
        event(
            target,
            "CreateKey",
            key,
            now,
            Map.of(
                "keySpec", key.keySpec().wireName(),
                "keyUsage", key.keyUsage().wireName(),
                "origin", key.origin().wireName())));
    List<String> report = new ArrayList<>();
    report.add(
        "created key "
            + arn
            + " ("
            + key.keySpec().wireName()
            + ", "
            + key.keyUsage().wireName()
            + (imported ? ", imported material" : "")
            + ")");
    Uni<Void> stored;
    if (imported) {
      byte[] publicKey = materials.checkImported(key.keySpec(), key.keyUsage(), seed.keyMaterial());
      String fingerprint = materials.importFingerprint(key.keyId(), publicKey, seed.keyMaterial());
      var wrapped =
          materials.wrap(key.keyId(), 1, materialId, seed.keyMaterial()).withPublicKey(publicKey);
      KmsKey withMaterial =
          key.importMaterial(fingerprint, ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
      stored =
          keys.insert(key, null)
              .chain(() -> keys.putImportedMaterial(withMaterial, wrapped, fingerprint))
              .replaceWithVoid();
      audit.add(
          event(
              target,
              "ImportKeyMaterial",
              key,
              now,
              Map.of("expirationModel", ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE.wireName())));
    } else {
      stored =
          materials
              .generate(key.keyId(), key.keySpec(), 1, materialId)
              .chain(material -> keys.insert(key, material));
    }
    if (seed.rotationPeriodInDays() != null) {
      audit.add(
          event(
              target,
              "EnableKeyRotation",
              key,
              now,
              Map.of("rotationPeriodInDays", seed.rotationPeriodInDays().toString())));
    }
    for (String name : seed.aliases()) {
      AliasName alias = new AliasName(name);
      stored =
          stored.chain(
              () ->
                  aliases
                      .find(target.accountId(), target.region(), alias)
                      .chain(
                          existing -> {
                            if (existing.isPresent()) {
                              report.add(
                                  "key "
                                      + seed.keyId()
                                      + ": alias "
                                      + name
                                      + " already points at key "
                                      + existing.get().targetKeyId()
                                      + "; "
                                      + LEFT_ALONE);
                              return Uni.createFrom().voidItem();
                            }
                            audit.add(
                                event(target, "CreateAlias", key, now, Map.of("aliasName", name)));
                            report.add("created alias " + name + " → " + seed.keyId());
                            return aliases.insert(
                                new AliasRepository.Alias(
                                    target.accountId(),
                                    target.region(),
                                    alias,
                                    key.keyId(),
                                    now,
                                    now));
                          }));
    }
    // The trail last: appending locks the audit chain's head until commit (lock order key rows →
    // head, docs/architecture.md).
    return stored
        .chain(
            () -> {
              Uni<Void> recorded = Uni.createFrom().voidItem();
              for (ServiceEvent e : audit) {
                recorded = recorded.chain(() -> events.record(e));
              }
              return recorded;
            })
        .replaceWith(report);
  }

  /** How an existing key differs from its seed entry; it is left as it is. */
  private Uni<List<String>> differences(Target target, SeedKey seed, KmsKey key) {
    List<String> found = new ArrayList<>();
    String id = "key " + seed.keyId() + " exists; " + LEFT_ALONE + ", but ";
    if (!key.accountId().equals(target.accountId())
        || !key.arn().region().equals(target.region())) {
      found.add(
          id
              + "it is "
              + key.arn()
              + ", not a key of account "
              + target.accountId()
              + " in "
              + target.region());
      return Uni.createFrom().item(found);
    }
    differ(found, id, "KeySpec", seed.keySpec().wireName(), key.keySpec().wireName());
    differ(found, id, "KeyUsage", usageOf(seed).wireName(), key.keyUsage().wireName());
    Origin origin = seed.keyMaterial() != null ? Origin.EXTERNAL : Origin.AWS_KMS;
    differ(found, id, "Origin", origin.wireName(), key.origin().wireName());
    differ(found, id, "Description", seed.description(), key.description());
    if (!seed.tags().equals(key.tags())) { // the same pairs in any order are equal
      found.add(id + "Tags differ: the file says " + seed.tags() + ", the key has " + key.tags());
    }
    differ(found, id, "Policy", policyOf(target, seed), key.policy());
    String rotation =
        key.automaticRotationEnabled() ? String.valueOf(key.rotation().periodInDays()) : "off";
    differ(
        found,
        id,
        "RotationPeriodInDays",
        seed.rotationPeriodInDays() == null ? "off" : seed.rotationPeriodInDays().toString(),
        rotation);
    if (seed.keyMaterial() != null
        && key.importState() != null
        && key.keySpec() == seed.keySpec()
        && key.keyUsage() == usageOf(seed)) {
      byte[] publicKey = materials.checkImported(key.keySpec(), key.keyUsage(), seed.keyMaterial());
      String fingerprint = materials.importFingerprint(key.keyId(), publicKey, seed.keyMaterial());
      if (!fingerprint.equals(key.importState().fingerprint())) {
        found.add(id + "its KeyMaterial is other material than the file's");
      }
    }
    Uni<Void> checked = Uni.createFrom().voidItem();
    for (String name : seed.aliases()) {
      checked =
          checked.chain(
              () ->
                  aliases
                      .find(target.accountId(), target.region(), new AliasName(name))
                      .invoke(
                          alias -> {
                            if (alias.isEmpty()) {
                              found.add(id + "alias " + name + " does not exist");
                            } else if (!alias.get().targetKeyId().equals(key.keyId())) {
                              found.add(
                                  id
                                      + "alias "
                                      + name
                                      + " points at key "
                                      + alias.get().targetKeyId());
                            }
                          })
                      .replaceWithVoid());
    }
    return checked.replaceWith(
        () ->
            found.isEmpty()
                ? List.of("key " + seed.keyId() + " exists and matches the file")
                : found);
  }

  private static void differ(
      List<String> found, String id, String field, String file, String stored) {
    if (!Objects.equals(file, stored)) {
      found.add(
          id + field + " differs: the file says " + quote(file) + ", the key has " + quote(stored));
    }
  }

  private static String quote(String value) {
    String flat = value.replace("\n", " ");
    return "'" + (flat.length() <= 120 ? flat : flat.substring(0, 117) + "...") + "'";
  }

  static KeyUsage usageOf(SeedKey key) {
    if (key.keyUsage() != null) {
      return key.keyUsage();
    }
    return key.keySpec() == KeySpec.SYMMETRIC_DEFAULT ? KeyUsage.ENCRYPT_DECRYPT : null;
  }

  private static String policyOf(Target target, SeedKey seed) {
    return seed.policy() != null
        ? seed.policy()
        : DefaultKeyPolicy.forAccount(target.partition(), target.accountId());
  }

  private static ServiceEvent event(
      Target target, String name, KmsKey key, Instant now, Map<String, String> details) {
    Map<String, String> all = new LinkedHashMap<>(details);
    all.put("seedFile", target.seedFile());
    return new ServiceEvent(
        name, target.accountId(), target.region(), key.arn().toString(), now, all);
  }
}
