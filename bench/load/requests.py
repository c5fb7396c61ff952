#!/usr/bin/env python3
"""The load benchmark's requests (bench/load.sh). Standard library only.

  requests.py setup  --endpoint E --token T --account A --region R --out keys.json
      As the account root (T): creates the benchmark's keys, each with a 3-statement key policy
      (account root; key administrators; the application role with a condition), and a pool of
      ciphertexts for Decrypt and ReEncrypt.
  requests.py pool   --case C --auth jwt|sigv4|none --keys keys.json --endpoint E --out F
      Writes a pool of requests for wrk (bench/load/kms.lua): one per line, body then header
      name/value pairs, tab-separated. SigV4 requests are signed now (AWS accepts a signature
      for 15 minutes) with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment; a JWT
      comes from BENCH_TOKEN. The first request of the pool is sent once and must answer 200.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

CONTENT_TYPE = "application/x-amz-json-1.1"
POOL_SIZE = 64
CONTEXT = {"tenant": "acme"}
# The case name → the operation it calls.
CASES = {
    "Floor": None,
    "Encrypt256": "Encrypt",
    "Encrypt4K": "Encrypt",
    "Decrypt": "Decrypt",
    "GenerateDataKey": "GenerateDataKey",
    "ReEncrypt": "ReEncrypt",
    "Sign": "Sign",
    "GenerateMac": "GenerateMac",
}


def key_policy(account):
    """Root; key administrators; the application role, limited to its account and tenant."""
    root = f"arn:aws:iam::{account}:root"
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": root},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Admins", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{account}:role/KeyAdmin"},
             "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                        "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                        "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
             "Resource": "*"},
            {"Sid": "Users", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{account}:role/App"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                        "kms:Sign", "kms:GenerateMac", "kms:DescribeKey"],
             "Resource": "*",
             "Condition": {
                 "StringEquals": {"kms:CallerAccount": account},
                 "StringEqualsIfExists": {"kms:EncryptionContext:tenant": "acme"}}},
        ],
    })


def call(endpoint, operation, body, headers):
    data = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
    request = urllib.request.Request(endpoint, data=data, method="POST")
    for name, value in headers.items():
        request.add_header(name, value)
    request.add_header("X-Amz-Target", f"TrentService.{operation}")
    request.add_header("Content-Type", CONTENT_TYPE)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as e:
        sys.exit(f"requests.py: {operation} answered {e.code}: {e.read().decode()}")


def b64(data):
    return base64.b64encode(data).decode()


def setup(args):
    bearer = {"Authorization": f"Bearer {args.token}"}
    policy = key_policy(args.account)

    def create(**members):
        answer = call(args.endpoint, "CreateKey", dict(members, Policy=policy), bearer)
        return answer["KeyMetadata"]["KeyId"]

    keys = {
        "symmetric": create(Description="bench symmetric"),
        "destination": create(Description="bench ReEncrypt destination"),
        "ecc": create(Description="bench sign", KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY"),
        "hmac": create(Description="bench mac", KeySpec="HMAC_256",
                       KeyUsage="GENERATE_VERIFY_MAC"),
    }
    keys["blobs"] = [
        call(args.endpoint, "Encrypt", {"KeyId": keys["symmetric"], "Plaintext": b64(os.urandom(256)),
                                        "EncryptionContext": CONTEXT}, bearer)["CiphertextBlob"]
        for _ in range(16)]
    with open(args.out, "w") as out:
        json.dump(keys, out)


def body(case, keys, i):
    blob = keys["blobs"][i % len(keys["blobs"])]
    if case == "Floor":
        return {}
    if case in ("Encrypt256", "Encrypt4K"):
        size = 256 if case == "Encrypt256" else 4096
        return {"KeyId": keys["symmetric"], "Plaintext": b64(os.urandom(size)),
                "EncryptionContext": CONTEXT}
    if case == "Decrypt":
        return {"CiphertextBlob": blob, "EncryptionContext": CONTEXT}
    if case == "GenerateDataKey":
        return {"KeyId": keys["symmetric"], "KeySpec": "AES_256", "EncryptionContext": CONTEXT}
    if case == "ReEncrypt":
        return {"CiphertextBlob": blob, "SourceEncryptionContext": CONTEXT,
                "DestinationKeyId": keys["destination"], "DestinationEncryptionContext": CONTEXT}
    if case == "Sign":
        return {"KeyId": keys["ecc"], "Message": b64(os.urandom(256)), "MessageType": "RAW",
                "SigningAlgorithm": "ECDSA_SHA_256"}
    if case == "GenerateMac":
        return {"KeyId": keys["hmac"], "Message": b64(os.urandom(256)),
                "MacAlgorithm": "HMAC_SHA_256"}
    raise SystemExit(f"requests.py: unknown case {case}")


def sigv4_headers(host, target, payload, region, access_key, secret):
    """AWS General Reference, "Create a signed AWS API request": SigV4 over POST / for kms."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    signed = {"content-type": CONTENT_TYPE, "host": host, "x-amz-date": amz_date,
              "x-amz-target": target}
    names = ";".join(sorted(signed))
    canonical = "\n".join(["POST", "/", ""] + [f"{n}:{signed[n]}" for n in sorted(signed)]
                          + ["", names, hashlib.sha256(payload).hexdigest()])
    scope = f"{day}/{region}/kms/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (day, region, "kms", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {"X-Amz-Date": amz_date, "Authorization":
            f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={names}, "
            f"Signature={signature}"}


def pool(args):
    with open(args.keys) as f:
        keys = json.load(f)
    host = urllib.parse.urlparse(args.endpoint).netloc
    operation = CASES[args.case]
    lines = []
    for i in range(POOL_SIZE):
        payload = json.dumps(body(args.case, keys, i), separators=(",", ":"))
        headers = {"Host": host, "Content-Type": CONTENT_TYPE}
        if operation:
            headers["X-Amz-Target"] = f"TrentService.{operation}"
        if args.auth == "jwt":
            headers["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"
        elif args.auth == "sigv4":
            headers.update(sigv4_headers(host, headers["X-Amz-Target"], payload.encode(),
                                         args.region, os.environ["AWS_ACCESS_KEY_ID"],
                                         os.environ["AWS_SECRET_ACCESS_KEY"]))
        if i == 0:
            check(args.endpoint + args.path, payload, headers)
        lines.append("\t".join([payload] + [x for kv in headers.items() for x in kv]))
    with open(args.out, "w") as out:
        out.write("\n".join(lines) + "\n")


def check(url, payload, headers):
    request = urllib.request.Request(url, data=payload.encode(), method="POST",
                                     headers={k: v for k, v in headers.items() if k != "Host"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
    except urllib.error.HTTPError as e:
        sys.exit(f"requests.py: the pool's first request answered {e.code}: {e.read().decode()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "pool"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--token")
    parser.add_argument("--account", default="111122223333")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--keys")
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--auth", choices=["jwt", "sigv4", "none"])
    parser.add_argument("--path", default="/")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    setup(args) if args.command == "setup" else pool(args)


if __name__ == "__main__":
    main()
