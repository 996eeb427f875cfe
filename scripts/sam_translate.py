"""Transforms deploy/template.yaml with aws-sam-translator (pinned in .venv) and prints the result.

Usage: sam_translate.py TEMPLATE [Name=Value ...]
Prints the CloudFormation template SAM would deploy (the code as if `sam deploy` had uploaded it), as JSON, or exits 1 with the translator's
errors. Used by the tests to check that the template transforms for every combination of flows,
and what roles the transform produces.
"""
import json
import os
import sys

from cfnlint.decode import decode
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """The template names managed policies by ARN only; nothing needs looking up."""

    def load(self):
        return {}


def main():
    template, matches = decode(sys.argv[1])
    if matches:
        raise SystemExit(f"cannot read {sys.argv[1]}: {matches}")
    # What `sam deploy` does first: upload the local CodeUri and point the functions at the copy.
    template["Globals"]["Function"]["CodeUri"] = "s3://keyrotator-artifacts/bootstrap.zip"
    parameters = dict(argument.split("=", 1) for argument in sys.argv[2:])
    # SAM reads the region for its pseudo parameters from a boto3 session; no account is needed.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        output = transform(template, parameters, NoManagedPolicies())
    except InvalidDocumentException as error:
        for cause in error.causes:
            print(cause.message, file=sys.stderr)
        sys.exit(1)
    print(json.dumps(output, default=str))


if __name__ == "__main__":
    main()
