"""boto3 asked who it is, as any script would ask: its default credential chain, then STS GetCallerIdentity at
ENDPOINT. Prints one JSON line: {client, arn, key} or {client, error}."""
import json
import sys

import boto3

try:
    answer = boto3.session.Session().client("sts", endpoint_url=sys.argv[1]).get_caller_identity()
    print(json.dumps({"client": "boto3", "arn": answer["Arn"], "key": answer["UserId"]}))
except Exception as error:  # every failure is a result to report
    print(json.dumps({"client": "boto3", "error": f"{type(error).__name__}: {error}"}))
