"""boto3 against the emulator: the whole job flow plus modelled exceptions and STS.

Usage: python3 boto3_flow.py ENDPOINT IMPORT_MANIFEST_FILE EXPORT_MANIFEST_FILE
Credentials and region come from the environment (AWS_ACCESS_KEY_ID, ...). Prints one JSON document.
"""
import json
import sys

import boto3

endpoint, import_file, export_file = sys.argv[1:4]
manifest = open(import_file).read()
export_manifest = open(export_file).read()
ie = boto3.client("importexport", endpoint_url=endpoint)
out = {"signing": None}


def record(request, **kwargs):
    auth = request.headers.get("Authorization", b"")
    if isinstance(auth, bytes):
        auth = auth.decode()
    out["signing"] = auth.split(" ")[0] + " " + "/".join(auth.split("Credential=")[1].split(",")[0].split("/")[2:4]) if auth else "none"


ie.meta.events.register("before-send.importexport.*", record)

created = ie.create_job(JobType="import", Manifest=manifest, ValidateOnly=False)
job_id = created["JobId"]
out["create"] = {k: created.get(k) for k in ("JobId", "JobType", "Signature", "SignatureFileContents", "ArtifactList")}
status = ie.get_status(JobId=job_id)
out["status"] = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in status.items() if k != "ResponseMetadata"}
out["update"] = {k: v for k, v in ie.update_job(JobId=job_id, JobType="Export", Manifest=export_manifest, ValidateOnly=False).items() if k != "ResponseMetadata"}
out["statusAfterUpdate"] = ie.get_status(JobId=job_id)["JobType"]
for _ in range(4):
    ie.create_job(JobType="Import", Manifest=manifest, ValidateOnly=False)
pages = list(ie.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 2}))
out["listPages"] = [[j["JobId"] for j in p["Jobs"]] for p in pages]
out["listFirst"] = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in pages[0]["Jobs"][0].items()}
out["label"] = ie.get_shipping_label(jobIds=[job_id])["ShippingLabelURL"]
out["cancel"] = ie.cancel_job(JobId=job_id)["Success"]

errors = {}


def expect_error(name, fn):
    try:
        fn()
        errors[name] = "no error"
    except getattr(ie.exceptions, name) as e:
        errors[name] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "requestId": e.response["ResponseMetadata"].get("RequestId")}
    except Exception as e:  # a different class: the test shows which
        errors[name] = "wrong exception " + type(e).__name__ + ": " + str(e)


expect_error("CanceledJobIdException", lambda: ie.get_status(JobId=job_id))
expect_error("InvalidJobIdException", lambda: ie.get_status(JobId="ZZZZZ"))
expect_error("MalformedManifestException", lambda: ie.create_job(JobType="Import", Manifest="a: [", ValidateOnly=False))
expect_error("NoSuchBucketException", lambda: ie.create_job(JobType="Import", Manifest=manifest.replace("alice-import", "nobody-bucket"), ValidateOnly=False))
expect_error("InvalidParameterException", lambda: ie.list_jobs(MaxJobs=5000))
expect_error("MissingParameterException", lambda: ie.get_shipping_label(jobIds=[]))
out["errors"] = errors

sts = boto3.client("sts", endpoint_url=endpoint)
ident = sts.get_caller_identity()
out["sts"] = {"Account": ident["Account"], "Arn": ident["Arn"]}
print(json.dumps(out))
