"""SigV4 reference signer for the test suite: botocore signs each request read from stdin.

Input: a JSON list of requests {method, url, headers: [[name, value], ...], body_b64,
service, region, access_key, secret_key, token, timestamp (yyyyMMddTHHmmssZ)}.
Output: a JSON list of {authorization, canonical_request}. The credentials are test
values made up by the suite, never real ones.
"""
import base64
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials


def sign(spec):
    headers = HTTPHeaders()
    for name, value in spec["headers"]:
        headers[name] = value  # email.message semantics: repeated names are kept
    request = AWSRequest(method=spec["method"], url=spec["url"], headers=headers,
                         data=base64.b64decode(spec["body_b64"]))
    creds = Credentials(spec["access_key"], spec["secret_key"], spec.get("token"))
    auth = SigV4Auth(creds, spec["service"], spec["region"])
    # add_auth() with a fixed clock: the same steps, timestamp from the spec.
    request.context["timestamp"] = spec["timestamp"]
    auth._modify_request_before_signing(request)
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    signature = auth.signature(string_to_sign, request)
    auth._inject_signature_to_request(request, signature)
    return {"authorization": request.headers["Authorization"], "canonical_request": canonical}


def main():
    specs = json.load(sys.stdin)
    json.dump([sign(s) for s in specs], sys.stdout)


if __name__ == "__main__":
    main()
