#!/usr/bin/env python3
"""boto3 against a running Keyhaven, signing with SigV4 with the dev access key from dev.env.

Checks: create_key, encrypt/decrypt round trip with an encryption context (and a wrong context
refused), generate_data_key, NotFoundException and AccessDeniedException surfacing as botocore
ClientError with that code, a wrong secret refused, the local-mode test/test credentials, and an
ECC_NIST_EDWARDS25519 key's ED25519_SHA_512 signature verified by pyca/cryptography (an Ed25519
implementation independent of the server's BC-FIPS and of the JDK).
Every check runs; each failure is printed, and the exit status is 1 if any check failed.

Usage: tests/cli/boto3-smoke.py <data-dir>   (the directory holding dev.env)
Needs boto3 and cryptography (Debian: python3-boto3, python3-cryptography; ./kms test installs
them when missing).
"""

import json
import shlex
import sys
import uuid
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def read_dev_env(data_dir):
    """The `export NAME=value` lines of dev.env, values unquoted as the shell would."""
    values = {}
    for line in Path(data_dir, "dev.env").read_text().splitlines():
        words = shlex.split(line, comments=True)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            values[name] = value
    return values


def client(env, access_key_id, secret):
    return boto3.client(
        "kms",
        endpoint_url=env["KMS_ENDPOINT"],
        region_name=env["KMS_REGION"],
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, connect_timeout=10, read_timeout=30),
    )


def error_code(call):
    """The AWS error code `call` fails with as a botocore ClientError; fails if it succeeds."""
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    raise AssertionError("the call succeeded")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


class Smoke:
    def __init__(self, env):
        self.env = env
        self.account = env["KMS_ACCOUNT_ID"]
        self.kms = client(env, env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"])
        self.key_id = None
        self.key_arn = None

    def create_key(self):
        meta = self.kms.create_key(Description="boto3-smoke")["KeyMetadata"]
        expect(meta["KeyState"] == "Enabled", f"new key is {meta['KeyState']}")
        expect(meta["Arn"].startswith(f"arn:aws:kms:{self.env['KMS_REGION']}:{self.account}:key/"),
               f"key ARN {meta['Arn']}")
        self.key_id, self.key_arn = meta["KeyId"], meta["Arn"]

    def encrypt_decrypt_with_context(self):
        context = {"purpose": "boto3-smoke", "run": uuid.uuid4().hex}
        plaintext = b"hello from boto3 \x00\xff"
        blob = self.kms.encrypt(KeyId=self.key_id, Plaintext=plaintext,
                                EncryptionContext=context)["CiphertextBlob"]
        expect(plaintext not in blob, "the ciphertext contains the plaintext")
        answer = self.kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)
        expect(answer["Plaintext"] == plaintext, "decrypt did not return the plaintext")
        expect(answer["KeyId"] == self.key_arn, f"decrypt named key {answer['KeyId']}")
        wrong = dict(context, purpose="other")
        code = error_code(lambda: self.kms.decrypt(CiphertextBlob=blob, EncryptionContext=wrong))
        expect(code == "InvalidCiphertextException", f"wrong context answered {code}")

    def generate_data_key(self):
        answer = self.kms.generate_data_key(KeyId=self.key_id, KeySpec="AES_256")
        expect(len(answer["Plaintext"]) == 32, f"{len(answer['Plaintext'])}-byte data key")
        opened = self.kms.decrypt(CiphertextBlob=answer["CiphertextBlob"])["Plaintext"]
        expect(opened == answer["Plaintext"], "the data key's ciphertext does not decrypt to it")

    def not_found_is_client_error(self):
        code = error_code(lambda: self.kms.describe_key(KeyId=f"alias/missing-{uuid.uuid4().hex}"))
        expect(code == "NotFoundException", f"missing alias answered {code}")

    def access_denied_is_client_error(self):
        root = f"arn:aws:iam::{self.account}:root"
        policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": root},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "NoEncrypt", "Effect": "Deny", "Principal": {"AWS": root},
             "Action": "kms:Encrypt", "Resource": "*"}]}
        key = self.kms.create_key(Description="boto3-smoke deny",
                                  Policy=json.dumps(policy))["KeyMetadata"]["KeyId"]
        code = error_code(lambda: self.kms.encrypt(KeyId=key, Plaintext=b"x"))
        expect(code == "AccessDeniedException", f"denied Encrypt answered {code}")

    def wrong_secret_refused(self):
        wrong_secret = "not-" + self.env["AWS_SECRET_ACCESS_KEY"]
        forged = client(self.env, self.env["AWS_ACCESS_KEY_ID"], wrong_secret)
        code = error_code(lambda: forged.list_keys(Limit=1))
        expect(code == "InvalidSignatureException", f"wrong secret answered {code}")

    def ed25519_signature_verified_by_pyca(self):
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.serialization import load_der_public_key

        key = self.kms.create_key(Description="boto3-smoke ed25519", KeySpec="ECC_NIST_EDWARDS25519",
                                  KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        public_key = load_der_public_key(self.kms.get_public_key(KeyId=key)["PublicKey"])
        message = b"signed by Keyhaven, verified by pyca"
        signature = self.kms.sign(KeyId=key, Message=message, MessageType="RAW",
                                  SigningAlgorithm="ED25519_SHA_512")["Signature"]
        expect(len(signature) == 64, f"{len(signature)}-byte Ed25519 signature")
        public_key.verify(signature, message)  # raises InvalidSignature when it does not verify
        try:
            public_key.verify(signature, message + b"!")
            raise AssertionError("pyca verified the signature for another message")
        except InvalidSignature:
            pass

    def test_test_credentials(self):
        local = client(self.env, "test", "test")
        meta = local.describe_key(KeyId=self.key_id)["KeyMetadata"]
        expect(meta["Arn"] == self.key_arn, f"test/test sees {meta['Arn']}")
        expect(len(local.list_keys(Limit=1)["Keys"]) == 1, "list_keys with test/test is empty")


CHECKS = [
    Smoke.create_key,
    Smoke.encrypt_decrypt_with_context,
    Smoke.generate_data_key,
    Smoke.not_found_is_client_error,
    Smoke.access_denied_is_client_error,
    Smoke.wrong_secret_refused,
    Smoke.test_test_credentials,
    Smoke.ed25519_signature_verified_by_pyca,
]


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    smoke = Smoke(read_dev_env(argv[1]))
    failed = 0
    for check in CHECKS:
        try:
            check(smoke)
        except Exception as e:  # a check fails on anything, not only on its own assertions
            failed += 1
            print(f"boto3-smoke: FAIL: {check.__name__}: {type(e).__name__}: {e}", file=sys.stderr)
    print(f"boto3-smoke: {len(CHECKS) - failed} passed, {failed} failed (boto3 {boto3.__version__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
