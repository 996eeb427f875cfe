"""Creates an IAM user in the emulator whose policy is a function's policy from deploy/template.yaml.

Usage: iam_user_from_template.py TEMPLATE LOGICAL_ID [--drop ACTION]
       iam_user_from_template.py --table                      (APIGATEWAY_OPERATIONS as JSON)
       iam_user_from_template.py --operations ACTION RESOURCE...  (what ACTION on RESOURCEs becomes)
Environment: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (a user allowed
iam:*). Prints {"accessKeyId": ..., "secretAccessKey": ..., "actions": [...], "operations": [...]}:
test credentials of the emulator, never real ones. "actions" are the template's IAM actions;
"operations" what they became for the emulator.

The emulator (moto) checks actions but not resources, so resources become "*" and conditions (the
sweep's dynamodb:LeadingKeys) are left out: the test proves the list of actions is enough (and, with
--drop, that each one is needed). Resources and conditions are checked from the resolved template
by TemplateResourceScopingTests (sam_translate.py --policies). moto also names actions after
the operation called where IAM does not:
- API Gateway: IAM grants HTTP verbs on paths (apigateway:POST on arn:...:apigateway:REGION::/apikeys),
  moto wants apigateway:CreateApiKey. APIGATEWAY_OPERATIONS maps each operation KeyRotator calls to
  its verb and path; a statement grants the operations whose verb it allows and whose path one of
  its resources matches.
- SQS: one IAM action authorizes the batch form too (sqs:SendMessage covers SendMessageBatch).
"""
import argparse
import fnmatch
import json
import os
import sys
import uuid

import boto3
from cfnlint.decode import decode

# (verb, path, moto's action): the API Gateway operations KeyRotator calls. {x} is an id.
APIGATEWAY_OPERATIONS = [
    ("GET", "/apikeys", "GetApiKeys"),
    ("POST", "/apikeys", "CreateApiKey"),
    ("GET", "/apikeys/{id}", "GetApiKey"),
    ("PATCH", "/apikeys/{id}", "UpdateApiKey"),
    ("DELETE", "/apikeys/{id}", "DeleteApiKey"),
    ("GET", "/usageplans", "GetUsagePlans"),
    ("GET", "/usageplans/{id}", "GetUsagePlan"),
    ("GET", "/usageplans/{id}/keys", "GetUsagePlanKeys"),
    ("POST", "/usageplans/{id}/keys", "CreateUsagePlanKey"),
    ("DELETE", "/usageplans/{id}/keys/{keyId}", "DeleteUsagePlanKey"),
    ("GET", "/usageplans/{id}/usage", "GetUsage"),
    ("PATCH", "/usageplans/{id}/keys/{keyId}/usage", "UpdateUsage"),
]

BATCH_FORMS = {"sqs:SendMessage": ["sqs:SendMessageBatch"], "sqs:DeleteMessage": ["sqs:DeleteMessageBatch"]}


def resource_paths(resource):
    """The API Gateway paths a statement's Resource entries name (the part after '::')."""
    entries = resource if isinstance(resource, list) else [resource]
    paths = []
    for entry in entries:
        text = entry.get("Fn::Sub") if isinstance(entry, dict) else entry
        if isinstance(text, list):  # the Fn::Sub form with variables
            text = text[0]
        if isinstance(text, str) and ":apigateway:" in text and "::/" in text:
            paths.append(text[text.index("::/") + 2:])
    return paths


def apigateway_operations(verb, paths):
    """moto's names for the operations `verb` on any of `paths` allows (IAM's * spans '/')."""
    concrete = lambda path: path.replace("{id}", "id0").replace("{keyId}", "key0")
    return [f"apigateway:{name}" for (v, path, name) in APIGATEWAY_OPERATIONS
            if v == verb and any(fnmatch.fnmatchcase(concrete(path), pattern) for pattern in paths)]


def emulator_actions(action, resource):
    if action.startswith("apigateway:") and action[len("apigateway:"):].isupper():
        return apigateway_operations(action[len("apigateway:"):], resource_paths(resource))
    return [action] + BATCH_FORMS.get(action, [])


def statements_of(properties):
    for policy in properties.get("Policies", []):
        for statement in policy["Statement"]:
            if isinstance(statement, dict) and "Fn::If" in statement:
                statement = statement["Fn::If"][1]  # the statement its condition adds
            yield statement


def inspect(arguments):
    """The tests' view of the mapping, without an emulator (see the usage above)."""
    if arguments[0] == "--table":
        print(json.dumps([{"verb": v, "path": p, "operation": o} for (v, p, o) in APIGATEWAY_OPERATIONS]))
    else:
        print(json.dumps(emulator_actions(arguments[1], arguments[2:])))


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("--table", "--operations"):
        return inspect(sys.argv[1:])
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("logical_id")
    parser.add_argument("--drop", default=None)
    args = parser.parse_args()

    template, matches = decode(args.template)
    if matches:
        raise SystemExit(f"cannot read {args.template}: {matches}")
    properties = template["Resources"][args.logical_id]["Properties"]
    statements, actions = [], []
    for statement in statements_of(properties):
        actions += statement["Action"]
        granted = [op for a in statement["Action"] if a != args.drop for op in emulator_actions(a, statement["Resource"])]
        if granted:
            statements.append({"Effect": statement["Effect"], "Action": granted, "Resource": "*"})
    iam = boto3.client("iam", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ.get("AWS_REGION", "us-east-1"))
    name = f"kr-{args.logical_id}-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="from-template",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements or [
                            {"Effect": "Deny", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    print(json.dumps({"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"],
                      "actions": sorted(set(actions)),
                      "operations": sorted(set(a for s in statements for a in s["Action"]))}))


if __name__ == "__main__":
    main()
