"""A long-running boto3 program for the credentials server tests: one client, GetCallerIdentity every half second
for SECONDS, one JSON line per call (the key that signed, the ARN, or the error). Credentials come from boto3's
default chain, as any script's would."""
import json
import os
import sys
import time

import boto3

seconds = float(sys.argv[1])
client = boto3.session.Session().client("sts", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_STS"))
end = time.monotonic() + seconds
while time.monotonic() < end:
    try:
        answer = client.get_caller_identity()
        line = {"client": "boto3", "ok": True, "key": answer["UserId"], "arn": answer["Arn"]}
    except Exception as error:  # every failure is a result to report, not a crash
        line = {"client": "boto3", "ok": False, "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(line), flush=True)
    time.sleep(0.5)
