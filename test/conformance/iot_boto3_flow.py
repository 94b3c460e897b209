"""boto3's `iot` client through a whole IoT job lifecycle against an endpoint (the emulator, or moto as an oracle).

Usage: iot_boto3_flow.py ENDPOINT MODE   (MODE = emulator | moto)
Credentials and region come from the environment. In moto mode ENDPOINT is ignored: the script starts moto's
ThreadedMotoServer on a free loopback port (port 0) and stops it at the end. Prints one JSON object: what each call answered (shapes, member
names, Python types, HTTP status codes, error codes), for the vitest side to assert on.
"""
import datetime
import json
import sys

import boto3
from botocore.config import Config

endpoint, mode = sys.argv[1], sys.argv[2]
moto_server = None
if mode == "moto":
    from moto.server import ThreadedMotoServer

    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    host, port = moto_server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
iot = boto3.client("iot", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))
out = {}


def types(value):
    """The Python types botocore parsed, member by member (the oracle compares these, not values)."""
    if isinstance(value, dict):
        return {k: types(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [types(v) for v in value[:1]]
    return type(value).__name__


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return value


def call(name, fn, **kwargs):
    """Runs one call; records the answer (or the error code, status and message)."""
    try:
        r = fn(**kwargs)
        out[name] = {"status": r["ResponseMetadata"]["HTTPStatusCode"], "value": plain(r), "types": types(r)}
    except iot.exceptions.ClientError as e:
        out[name] = {
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
            "code": e.response["Error"].get("Code"),
            "message": e.response["Error"].get("Message"),
            "modelled": type(e).__name__,
        }
    return out[name]


thing = call("createThing", iot.create_thing, thingName="sensor-1")["value"]
call("createThing2", iot.create_thing, thingName="sensor-2")
call("describeThing", iot.describe_thing, thingName="sensor-1")
group = call("createGroup", iot.create_thing_group, thingGroupName="fleet")["value"]
iot.add_thing_to_thing_group(thingGroupName="fleet", thingName="sensor-2")
out["thingArn"] = thing["thingArn"]
out["groupArn"] = group["thingGroupArn"]
document = json.dumps({"operation": "firmware", "version": "${aws:iot:parameter:version}"})
full = dict(
    targets=[thing["thingArn"], group["thingGroupArn"]],
    document=document,
    description="firmware 1.2",
    presignedUrlConfig={"roleArn": "arn:aws:iam::123456789012:role/presign", "expiresInSec": 600},
    targetSelection="SNAPSHOT",
    jobExecutionsRolloutConfig={"maximumPerMinute": 10},
    abortConfig={"criteriaList": [{"failureType": "FAILED", "action": "CANCEL", "thresholdPercentage": 50.0, "minNumberOfExecutedThings": 2}]},
    timeoutConfig={"inProgressTimeoutInMinutes": 30},
    jobExecutionsRetryConfig={"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 2}]},
    tags=[{"Key": "team", "Value": "fw"}],
)
call("create", iot.create_job, jobId="fw-1", **full)
call("describe", iot.describe_job, jobId="fw-1")
call("document", iot.get_job_document, jobId="fw-1")
call("documentBefore", iot.get_job_document, jobId="fw-1", beforeSubstitution=True)
call("duplicate", iot.create_job, jobId="fw-1", **dict(full, description="dup"))
call("describeAfterDuplicate", iot.describe_job, jobId="fw-1")
call("update", iot.update_job, jobId="fw-1", description="firmware 1.3", abortConfig={"criteriaList": [{"failureType": "ALL", "action": "CANCEL", "thresholdPercentage": 25.5, "minNumberOfExecutedThings": 1}]}, timeoutConfig={"inProgressTimeoutInMinutes": 60})
call("describeAfterUpdate", iot.describe_job, jobId="fw-1")
call("tag", iot.tag_resource, resourceArn=f"{thing['thingArn'].split(':thing/')[0]}:job/fw-1", tags=[{"Key": "stage", "Value": "beta"}])
call("untag", iot.untag_resource, resourceArn=f"{thing['thingArn'].split(':thing/')[0]}:job/fw-1", tagKeys=["team"])
call("tags", iot.list_tags_for_resource, resourceArn=f"{thing['thingArn'].split(':thing/')[0]}:job/fw-1")
call("create2", iot.create_job, jobId="fw-2", targets=[thing["thingArn"]], document="{}", targetSelection="CONTINUOUS")
call("list", iot.list_jobs)
call("listCompleted", iot.list_jobs, status="COMPLETED")
call("listContinuous", iot.list_jobs, targetSelection="CONTINUOUS")
call("page1", iot.list_jobs, maxResults=1)
token = out["page1"].get("value", {}).get("nextToken")
if token:
    call("page2", iot.list_jobs, maxResults=1, nextToken=token)
call("deleteInProgress", iot.delete_job, jobId="fw-2")
call("cancel", iot.cancel_job, jobId="fw-1", reasonCode="BAD_BUILD", comment="rolled back")
call("describeCanceled", iot.describe_job, jobId="fw-1")
call("updateCanceled", iot.update_job, jobId="fw-1", description="too late")
call("cancelAgain", iot.cancel_job, jobId="fw-1")
call("cancelForce", iot.cancel_job, jobId="fw-1", force=True)
call("delete", iot.delete_job, jobId="fw-1")
call("describeDeleted", iot.describe_job, jobId="fw-1")
call("deleteForce", iot.delete_job, jobId="fw-2", force=True)
# errors
call("describeMissing", iot.describe_job, jobId="missing")
call("cancelMissing", iot.cancel_job, jobId="missing")
call("deleteMissing", iot.delete_job, jobId="missing")
call("documentMissing", iot.get_job_document, jobId="missing")
call("updateMissing", iot.update_job, jobId="missing", description="x")
call("badJobId", iot.create_job, jobId="ab!x", targets=[thing["thingArn"]], document="{}")
call("longJobId", iot.create_job, jobId="x" * 65, targets=[thing["thingArn"]], document="{}")
call("missingTarget", iot.create_job, jobId="fw-3", targets=[thing["thingArn"].replace("sensor-1", "ghost")], document="{}")
if moto_server is not None:
    moto_server.stop()
print(json.dumps(out, default=str))
