#!/usr/bin/env python3
"""Fills in and checks the SigV4 test vectors in this folder (see README.md).

For each case folder it
  * writes `request.txt` when missing: `header-signed-request.txt` without the headers that
    signing adds (Authorization, X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256);
  * writes `header-signature.txt` when missing: the Signature= of `header-signed-request.txt`;
  * writes `header-string-to-sign.txt` when missing, from `header-canonical-request.txt`, and
    checks it when present;
  * checks, with Python's own hashlib/hmac, that the string to sign signed with the context's
    secret gives the published signature. A canonical request that differs from AWS's by one
    byte fails this check, so every `header-canonical-request.txt` here is confirmed by the
    published signature, not by the Rust code under test.

Run from anywhere: python3 runtime/tests/data/sigv4/derive.py
"""

import hashlib
import hmac
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ADDED_BY_SIGNING = ("authorization:", "x-amz-date:", "x-amz-security-token:", "x-amz-content-sha256:")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def hmac_sha256(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def main():
    failures = 0
    cases = sorted(d for d in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, d)))
    for case in cases:
        folder = os.path.join(HERE, case)
        path = lambda name: os.path.join(folder, name)
        context = json.loads(read(path("context.json")))
        signed = read(path("header-signed-request.txt"))
        signature = re.search(r"Signature=([0-9a-f]{64})", signed).group(1)

        if not os.path.exists(path("request.txt")):
            head, sep, body = signed.partition("\n\n")
            lines = [l for l in head.split("\n") if not l.lower().startswith(ADDED_BY_SIGNING)]
            write(path("request.txt"), "\n".join(lines) + "\n" + sep[1:] + body)
        if not os.path.exists(path("header-signature.txt")):
            write(path("header-signature.txt"), signature)
        elif read(path("header-signature.txt")).strip() != signature:
            print(f"{case}: header-signature.txt differs from header-signed-request.txt")
            failures += 1

        creq = read(path("header-canonical-request.txt")).rstrip("\n")
        date_time = context["timestamp"].replace("-", "").replace(":", "")
        date = date_time[:8]
        scope = f"{date}/{context['region']}/{context['service']}/aws4_request"
        sts = "\n".join(["AWS4-HMAC-SHA256", date_time, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])
        if not os.path.exists(path("header-string-to-sign.txt")):
            write(path("header-string-to-sign.txt"), sts)
        elif read(path("header-string-to-sign.txt")).rstrip("\n") != sts:
            print(f"{case}: header-string-to-sign.txt does not match the canonical request")
            failures += 1

        key = ("AWS4" + context["credentials"]["secret_access_key"]).encode("utf-8")
        for part in (date, context["region"], context["service"], "aws4_request"):
            key = hmac_sha256(key, part)
        computed = hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()
        status = "ok" if computed == signature else "MISMATCH"
        if computed != signature:
            failures += 1
        print(f"{status:8} {case}")
    print(f"{len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
