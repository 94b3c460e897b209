#!/usr/bin/env python3
"""Golden signature vectors computed by botocore (the machine's python3).

SigV2: botocore.auth.SigV2Auth.calc_signature on fixed parameter sets (its HmacSHA256 signature and its
canonical query string). botocore's SigV2 only implements HmacSHA256; for the HmacSHA1 vectors the string to
sign is botocore's and the HMAC-SHA1 comes from Python's hmac module.
SigV4: botocore.auth.SigV4Auth.add_auth with service IngestionService and a fixed clock.

Usage: python3 test/vectors/gen_sigv2_sigv4.py > test/vectors/signatures.json
The output is deterministic: re-running it must reproduce the committed file byte for byte.
"""
import base64
import datetime
import hashlib
import hmac
import json
import sys
from urllib.parse import quote, urlsplit

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE//token+with/special=chars"
TIMESTAMP = "2026-11-22T21:39:07Z"
FIXED_NOW = datetime.datetime(2026, 11, 22, 21, 38, 10)

MANIFEST = (
    "manifestVersion: 2.0\n"
    "deviceId: Zürich-東京 😀\n"
    "notes: a: b c ~*'()!\n"
    "empty:\n"
)

# (name, url, params in order, with session token?, signature method)
SIGV2_CASES = [
    ("create-job-nonascii-port", "http://127.0.0.1:39761/", [
        ("Action", "CreateJob"), ("Version", "2010-06-01"), ("JobType", "Export"), ("Manifest", MANIFEST),
        ("ValidateOnly", "true"), ("ManifestAddendum", ""),
    ], False, "HmacSHA256"),
    ("reserved-characters", "http://localhost:4599/", [
        ("Action", "GetStatus"), ("Version", "2010-06-01"), ("JobId", "~*!'() +&=/?#[]@$,;%"),
        ("APIVersion", ""),
    ], False, "HmacSHA256"),
    ("global-endpoint-session-token", "https://importexport.amazonaws.com/", [
        ("Action", "ListJobs"), ("Version", "2010-06-01"), ("MaxJobs", "2"), ("Marker", "BBBBB"),
    ], True, "HmacSHA256"),
    ("empty-path-query-ignored", "http://127.0.0.1:8080?Operation=CancelJob", [
        ("Action", "CancelJob"), ("Version", "2010-06-01"), ("JobId", "ABCDE"),
    ], False, "HmacSHA256"),
    ("shipping-label-list-and-empties", "http://127.0.0.1:39761/", [
        ("Action", "GetShippingLabel"), ("Version", "2010-06-01"), ("jobIds.member.1", "AAAAA"),
        ("jobIds.member.2", "BBBBB"), ("name", "Jane Roe"), ("company", ""), ("street1", "123 Any St. #5"),
        ("city", "São Paulo"), ("postalCode", "01310-100"),
    ], False, "HmacSHA256"),
    ("byte-order-of-names", "http://127.0.0.1:39761/", [
        ("Action", "GetStatus"), ("Version", "2010-06-01"), ("JobId", "ABCDE"), ("a", "1"), ("B", "2"),
        ("_", "3"), ("~", "4"), ("\u00ff", "5"), ("\uff71", "6"), ("\U0001F600", "7"),
    ], False, "HmacSHA256"),
    ("hmac-sha1", "http://127.0.0.1:39761/", [
        ("Action", "CreateJob"), ("Version", "2010-06-01"), ("JobType", "Import"), ("Manifest", MANIFEST),
        ("ValidateOnly", "false"),
    ], True, "HmacSHA1"),
]

SIGV4_CASES = [
    ("cancel-job-custom-endpoint", "http://127.0.0.1:39761/", "us-west-2", [
        ("Action", "CancelJob"), ("Version", "2010-06-01"), ("JobId", "ABCDE"),
    ], False),
    ("create-job-nonascii-session", "http://localhost:4599/", "us-east-1", [
        ("Action", "CreateJob"), ("Version", "2010-06-01"), ("JobType", "Import"), ("Manifest", MANIFEST),
        ("ValidateOnly", "true"), ("ManifestAddendum", ""),
    ], True),
    ("global-endpoint", "https://importexport.amazonaws.com/", "us-east-1", [
        ("Action", "ListJobs"), ("Version", "2010-06-01"), ("MaxJobs", "10"),
    ], False),
]

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


def form_body(pairs):
    """RFC 3986 form body in the given order (space as %20), as the TypeScript client writes it."""
    return "&".join(quote(k.encode("utf-8"), safe="-_.~") + "=" + quote(v.encode("utf-8"), safe="-_.~") for k, v in pairs)


def sigv2_case(name, url, pairs, with_token, method):
    creds = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN if with_token else None)
    params = dict(pairs)
    params["AWSAccessKeyId"] = ACCESS_KEY
    params["SignatureVersion"] = "2"
    params["SignatureMethod"] = method
    params["Timestamp"] = TIMESTAMP
    if with_token:
        params["SecurityToken"] = SESSION_TOKEN
    auth = botocore.auth.SigV2Auth(creds)
    request = AWSRequest(method="POST", url=url, data=params)
    qs, sha256_signature = auth.calc_signature(request, params)
    split = urlsplit(url)
    string_to_sign = f"POST\n{split.netloc}\n{split.path or '/'}\n{qs}"
    if method == "HmacSHA1":
        signature = base64.b64encode(hmac.new(SECRET_KEY.encode(), string_to_sign.encode("utf-8"), hashlib.sha1).digest()).decode()
    else:
        signature = sha256_signature
    return {
        "name": name, "url": url, "host": split.netloc, "path": split.path + (f"?{split.query}" if split.query else ""),
        "params": [[k, v] for k, v in params.items()], "signatureMethod": method,
        "stringToSign": string_to_sign, "signature": signature,
    }


def sigv4_case(name, url, region, pairs, with_token):
    creds = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN if with_token else None)
    body = form_body(pairs)
    request = AWSRequest(method="POST", url=url, data=body.encode("utf-8"), headers={"Content-Type": CONTENT_TYPE})
    auth = botocore.auth.SigV4Auth(creds, "IngestionService", region)
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: FIXED_NOW
    try:
        auth.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original
    headers = {k.lower(): v for k, v in request.headers.items() if k.lower() in ("authorization", "x-amz-date", "x-amz-security-token")}
    return {
        "name": name, "url": url, "region": region, "service": "IngestionService", "sessionToken": with_token,
        "params": [[k, v] for k, v in pairs], "body": body, "contentType": CONTENT_TYPE,
        "signingDate": FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "headers": dict(sorted(headers.items())),
    }


def main():
    out = {
        "generator": "test/vectors/gen_sigv2_sigv4.py",
        "botocore": botocore.__version__,
        "credentials": {"accessKeyId": ACCESS_KEY, "secretAccessKey": SECRET_KEY, "sessionToken": SESSION_TOKEN},
        "timestamp": TIMESTAMP,
        "sigv2": [sigv2_case(*c) for c in SIGV2_CASES],
        "sigv4": [sigv4_case(*c) for c in SIGV4_CASES],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
