"""SigV2 requests signed by botocore's own SigV2Auth (an implementation nobody here wrote), parsed by botocore's
QueryParser with the importexport service model.

Current botocore always signs Import/Export with SigV4, so SigV2Auth is used directly on hand-built requests.
Usage: python3 botocore_sigv2.py ENDPOINT MANIFEST_FILE. Credentials from the environment. Prints JSON.
"""
import json
import os
import sys

import boto3
from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session
from botocore.parsers import QueryParser

endpoint, manifest_file = sys.argv[1:3]
manifest = open(manifest_file).read()
model = boto3.client("importexport", endpoint_url=endpoint).meta.service_model
session = URLLib3Session()
good = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])


def call(operation, params, creds=good):
    body = {"Action": operation, "Version": "2010-06-01"}
    body.update(params)
    request = AWSRequest(method="POST", url=endpoint + "/", data=body)
    SigV2Auth(creds).add_auth(request)
    response = session.send(request.prepare())
    parsed = QueryParser().parse(
        {"body": response.content, "headers": response.headers, "status_code": response.status_code},
        model.operation_model(operation).output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    return response.status_code, parsed


out = {}
status, created = call("CreateJob", {"JobType": "Import", "Manifest": manifest, "ValidateOnly": "false"})
out["create"] = {"status": status, "JobId": created.get("JobId"), "Signature": created.get("Signature")}
status, got = call("GetStatus", {"JobId": created.get("JobId", "")})
out["status"] = {"status": status, "ProgressCode": got.get("ProgressCode"), "CurrentManifest": got.get("CurrentManifest"), "ErrorCount": got.get("ErrorCount")}
status, listed = call("ListJobs", {"MaxJobs": "1"})
out["list"] = {"status": status, "Jobs": [j["JobId"] for j in listed.get("Jobs", [])], "IsTruncated": listed.get("IsTruncated")}
status, bad = call("ListJobs", {}, Credentials(os.environ["AWS_ACCESS_KEY_ID"], "wrong-secret"))
out["badSecret"] = {"status": status, "code": bad.get("Error", {}).get("Code")}
print(json.dumps(out))
