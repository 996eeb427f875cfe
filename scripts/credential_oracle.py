"""Credential-chain reference for the test suite: botocore resolves each case read from stdin.

Input: a JSON list of cases {"env": {NAME: VALUE}}. Each case runs with exactly that
environment (the test points HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE at temporary
files, and IMDS and the container endpoint at loopback stand-ins or switches them off, so
nothing leaves this machine). botocore defers STS and IAM Identity Center calls until
credentials are used, so resolving the method makes none of them.

Output: a JSON list of {"sources": [method, ...] innermost first, "region", "error"}: the
`Credentials.method` botocore picked, the methods of the source credentials an assumed role was
obtained with, the region `Session.get_config_variable('region')` resolves, and the exception's
class name when resolution failed. No credential value is ever printed.
"""
import json
import os
import sys

import botocore.session


def sources(credentials):
    chain = []
    current = credentials
    while current is not None:
        chain.insert(0, current.method)
        refresh = getattr(current, "_refresh_using", None)
        fetcher = getattr(refresh, "__self__", None)
        if fetcher is None and hasattr(refresh, "_refresh"):  # the MFA wrapper
            fetcher = getattr(refresh._refresh, "__self__", None)
        current = getattr(fetcher, "_source_credentials", None)
    return chain


def resolve(case):
    os.environ.clear()
    os.environ.update(case["env"])
    result = {"sources": [], "region": None, "error": None}
    session = botocore.session.Session()
    try:
        result["region"] = session.get_config_variable("region")
    except Exception as error:  # noqa: BLE001 - reported, not raised
        result["region_error"] = type(error).__name__
    try:
        credentials = session.get_credentials()
        if credentials is not None:
            result["sources"] = sources(credentials)
    except Exception as error:  # noqa: BLE001 - reported, not raised
        result["error"] = type(error).__name__
    return result


def main():
    cases = json.load(sys.stdin)
    saved = dict(os.environ)
    try:
        answers = [resolve(case) for case in cases]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
