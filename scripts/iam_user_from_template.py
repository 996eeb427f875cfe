"""Creates an IAM user in the emulator whose policy is a function's policy from deploy/template.yaml.

Usage: iam_user_from_template.py TEMPLATE LOGICAL_ID [--drop ACTION]
Environment: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (a user allowed
iam:*). Prints {"accessKeyId": ..., "secretAccessKey": ..., "actions": [...]}: test credentials of
the emulator, never real ones. Resources become "*": the emulator does not scope by resource, so the
test proves the list of actions is enough (and, with --drop, that each one is needed).
"""
import argparse
import json
import os
import uuid

import boto3
from cfnlint.decode import decode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("logical_id")
    parser.add_argument("--drop", default=None)
    args = parser.parse_args()

    template, matches = decode(args.template)
    if matches:
        raise SystemExit(f"cannot read {args.template}: {matches}")
    policies = template["Resources"][args.logical_id]["Properties"]["Policies"]
    statements = []
    for policy in policies:
        for statement in policy["Statement"]:
            actions = [a for a in statement["Action"] if a != args.drop]
            if actions:
                statements.append({"Effect": statement["Effect"], "Action": actions, "Resource": "*"})
    iam = boto3.client("iam", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ.get("AWS_REGION", "us-east-1"))
    name = f"kr-{args.logical_id}-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="from-template",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    print(json.dumps({"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"],
                      "actions": sorted(a for s in statements for a in s["Action"])}))


if __name__ == "__main__":
    main()
