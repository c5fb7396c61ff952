#!/usr/bin/env python3
"""Rebuilds this folder from upstream test-vector files (docs/testing.md, "Test vectors").

    python3 src/test/resources/testvectors/refresh.py <upstream>

<upstream> holds the upstream files in this layout: wycheproof/<name>.json (C2SP/wycheproof,
testvectors_v1/) and nist/acvp/<ALG>/<file>.json.gz (usnistgov/ACVP-Server gen-val/json-files,
through the gzip mirror named in README.md). The script writes, next to itself:
  - each Wycheproof file the tests read, unchanged, gzipped;
  - two extracts of ACVP files (the groups the tests run; see EXTRACTS), gzipped;
  - SHA256SUMS: the SHA-256 of each file's content after gunzip, under its name without .gz, which
    TestVectors checks before a test parses the file (for the Wycheproof files it is the upstream
    file's own SHA-256).
Only the Python standard library is used; nothing in the build or the tests runs this script.
"""
import gzip
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

WYCHEPROOF = [
    "aes_gcm_test.json",
    "aes_kwp_test.json",
    "ecdh_secp256r1_ecpoint_test.json",
    "ecdh_secp256r1_test.json",
    "ecdh_secp384r1_ecpoint_test.json",
    "ecdh_secp384r1_test.json",
    "ecdh_secp521r1_ecpoint_test.json",
    "ecdh_secp521r1_test.json",
    "ecdsa_secp256k1_sha256_test.json",
    "ecdsa_secp256r1_sha256_test.json",
    "ecdsa_secp384r1_sha384_test.json",
    "ecdsa_secp521r1_sha512_test.json",
    "hmac_sha224_test.json",
    "hmac_sha256_test.json",
    "hmac_sha384_test.json",
    "hmac_sha512_test.json",
    "json_web_signature_test.json",
    "rsa_oaep_2048_sha1_mgf1sha1_test.json",
    "rsa_oaep_2048_sha256_mgf1sha1_test.json",
    "rsa_oaep_2048_sha256_mgf1sha256_test.json",
    "rsa_oaep_3072_sha256_mgf1sha1_test.json",
    "rsa_oaep_3072_sha256_mgf1sha256_test.json",
    "rsa_oaep_4096_sha256_mgf1sha1_test.json",
    "rsa_oaep_4096_sha256_mgf1sha256_test.json",
    "rsa_oaep_misc_test.json",
    "rsa_pkcs1_2048_sig_gen_test.json",
    "rsa_pkcs1_3072_sig_gen_test.json",
    "rsa_pkcs1_4096_sig_gen_test.json",
    "rsa_pss_2048_sha256_mgf1_32_test.json",
    "rsa_pss_2048_sha384_mgf1_48_test.json",
    "rsa_pss_3072_sha256_mgf1_32_test.json",
    "rsa_pss_4096_sha256_mgf1_32_test.json",
    "rsa_pss_4096_sha384_mgf1_48_test.json",
    "rsa_pss_4096_sha512_mgf1_64_test.json",
    "rsa_pss_misc_test.json",
] + [
    f"rsa_signature_{bits}_sha{hash}_test.json"
    for bits in (2048, 3072, 4096)
    for hash in (256, 384, 512)
]

# ACVP: the KDF file's counter-mode HMAC-SHA2-256 groups (the only ones CounterModeKdfAcvpTest
# runs: 90 of 5,878 groups); the AES-KWP files' forward-cipher groups (kwCipher "cipher", the KWP
# of RFC 5649 and AWS key import; 36 of 72 groups), each group's first KWP_TESTS_PER_GROUP tests,
# so the repository stays small (every key size, payload length and direction is kept).
KWP_TESTS_PER_GROUP = 50
# Files not made from <upstream>, kept as the repository has them (README.md says where each
# comes from): the RFC 8032 Ed25519/Ed25519ph vectors, typed from the RFC into JSON, and the first
# 256 lines of pyca's asymmetric/Ed25519/sign.input.
KEPT = ["pyca/ed25519_sign_input_first256.txt", "rfc8032/ed25519_rfc8032.json"]
KDF = "nist/acvp/KDF-1.0/"
KWP = "nist/acvp/ACVP-AES-KWP-1.0/"


def kdf_groups(group):
    return group["kdfMode"] == "counter" and group["macMode"] == "HMAC-SHA2-256"


def read_json_gz(path):
    with gzip.open(path, "rb") as f:
        return json.load(f)


def extract(document, keep_group, tests_per_group=None):
    out = dict(document)
    groups = []
    for group in document["testGroups"]:
        if keep_group(group):
            group = dict(group)
            if tests_per_group is not None:
                group["tests"] = group["tests"][:tests_per_group]
            groups.append(group)
    out["testGroups"] = groups
    return json.dumps(out, indent=2).encode() + b"\n"


def write(name, content, sums):
    target = HERE / (name + ".gz")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(content, compresslevel=9, mtime=0))
    sums[name] = hashlib.sha256(content).hexdigest()


def main(upstream):
    sums = {}
    for name in WYCHEPROOF:
        write("wycheproof/" + name, (upstream / "wycheproof" / name).read_bytes(), sums)
    kdf = read_json_gz(upstream / KDF / "internalProjection.json.gz")
    write(KDF + "counter-hmac-sha2-256.json", extract(kdf, kdf_groups), sums)
    prompt = read_json_gz(upstream / KWP / "prompt.json.gz")
    forward = {g["tgId"] for g in prompt["testGroups"] if g["kwCipher"] == "cipher"}
    for part in ("prompt", "expectedResults"):
        document = read_json_gz(upstream / KWP / (part + ".json.gz"))
        content = extract(document, lambda g: g["tgId"] in forward, KWP_TESTS_PER_GROUP)
        write(KWP + part + "-cipher.json", content, sums)
    for name in KEPT:
        sums[name] = hashlib.sha256(gzip.decompress((HERE / (name + ".gz")).read_bytes())).hexdigest()
    with open(HERE / "SHA256SUMS", "w") as f:
        for name in sorted(sums):
            f.write(f"{sums[name]}  {name}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
