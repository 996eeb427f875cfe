"""Starts moto on 127.0.0.1 with IAM authentication ON, for KeyRotator's tests.

Run with the project venv (`bash scripts/setup-tools.sh` creates it):

    .venv/bin/python scripts/moto_harness.py

Prints exactly one JSON line on stdout once the server is ready:

    {"endpoint": "http://127.0.0.1:PORT", "accessKeyId": "...",
     "secretAccessKey": "...", "region": "us-east-1"}

then serves until its parent process dies, stdin reaches EOF, or it receives
SIGTERM/SIGINT. Set KEYROTATOR_MOTO_VERBOSE=1 to see moto's request log on stderr.

How moto 5.2.1 authenticates (moto/core/authorization.py): a class-wide counter
counts every service call that reaches `BaseResponse.call_action` (S3 has its own
hooks); while the counter is below INITIAL_NO_AUTH_ACTION_COUNT a call is served
without any check and increments it, from then on every call's SigV4 signature is
recomputed with the caller's IAM access key and its action (`<scope service>:<Action>`)
is checked against the user's policies, with every resource treated as "*".
`/moto-api/*` endpoints never count and are never authenticated (and
`POST /moto-api/reset-auth` can change the setting at runtime; `POST /moto-api/reset`
wipes every backend, IAM users included: tests must not call it).

Three moto 5.2.1 defects are patched here (see `patch_moto_auth`), so that the emulator
answers like AWS and our SigV4 signer is checked against an unchanged recomputation:
- a request with neither body nor query string (GET /apikeys, GET .../distribution/ID/config,
  DELETE /apikeys/ID) is verified against a payload hash of the *request headers*
  (moto falls back to `querystring.update(headers)` and hashes `body or data`), so every
  such correctly signed call fails with SignatureDoesNotMatch. We hash the raw body.
- a request without an Authorization header crashes with KeyError (HTTP 500). AWS answers
  403 MissingAuthenticationToken; so do we.
- STS AssumeRoleWithWebIdentity (and AssumeRoleWithSAML) take no signature in AWS (botocore
  sends them unsigned), but moto authenticates every call, so with auth on they could never
  succeed. We serve them unauthenticated when they come unsigned, as AWS does.

What moto 5.2.1 enforces for sts:AssumeRole (checked with this harness): the caller's policy
must allow sts:AssumeRole; when the role exists, its trust policy must name the caller's exact
ARN (a user ARN, or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` when chaining; the account
root and the role ARN do not match) and a `sts:ExternalId` condition is checked when the call
sends an ExternalId (a call without one passes); MFA conditions are not evaluated; a role that
does not exist can be assumed. Assumed-role credentials get the role's inline and attached
policies, and need their session token.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sys
import threading
import time

# IAM calls this harness makes before auth switches on (see `bootstrap_identity`).
SETUP_CALLS = 4
# Must be set before moto is imported: moto.settings reads it at import time.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_CALLS)
# Keep boto3 in this process away from the user's real AWS configuration.
for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(name, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "false")

import boto3  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
import requests  # noqa: E402
import moto  # noqa: E402
from moto.core.authorization import ActionAuthenticatorMixin  # noqa: E402
from moto.core.exceptions import InvalidClientTokenIdError  # noqa: E402
from moto.iam import access_control  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

REGION = "us-east-1"
USER_NAME = "keyrotator-harness"
POLICY_NAME = "keyrotator-harness-least-privilege"
VERBOSE = os.environ.get("KEYROTATOR_MOTO_VERBOSE") == "1"

# The actions KeyRotator's suite needs. moto names API Gateway actions after the
# operation (apigateway:CreateApiKey), not after IAM's verbs on paths (apigateway:POST).
ACTIONS = {
    "secretsmanager": [
        "CreateSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue",
        "UpdateSecretVersionStage", "ListSecretVersionIds", "RotateSecret", "CancelRotateSecret",
        "DeleteSecret", "TagResource",
    ],
    "cloudfront": [
        "CreateDistribution", "GetDistribution", "GetDistributionConfig",
        "UpdateDistribution", "ListDistributions",
    ],
    "apigateway": [
        "CreateApiKey", "GetApiKey", "GetApiKeys", "UpdateApiKey", "DeleteApiKey",
        "CreateUsagePlan", "CreateUsagePlanKey", "DeleteUsagePlanKey",
        "GetUsagePlanKeys", "GetUsagePlans", "GetUsagePlan", "CreateRestApi",
        "CreateAuthorizer", "GetAuthorizers",
        # moto 5.2.1 has neither: the tests answer them with a wire-format stand-in.
        "GetUsage", "UpdateUsage",
    ],
    "dynamodb": [
        "CreateTable", "DescribeTable", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
        "BatchWriteItem",
    ],
    "sqs": ["CreateQueue", "GetQueueUrl", "SendMessageBatch", "ReceiveMessage", "DeleteMessageBatch"],
    "events": ["CreateEventBus", "PutEvents", "PutRule", "PutTargets"],
    # origin doctor reads the functions' configuration; the tests create them (moto never runs them).
    "lambda": ["CreateFunction", "GetFunctionConfiguration"],
    "iam": ["*"],
    # Assume-role profiles in the credential chain tests (the roles they assume are created by the tests).
    "sts": ["AssumeRole"],
}

# STS operations AWS serves without a signature.
UNSIGNED_STS_ACTIONS = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}


class HarnessError(Exception):
    """Start-up failed; the message says what went wrong."""


class MissingAuthenticationTokenError(InvalidClientTokenIdError.__base__):  # moto's private _RESTError
    code = 403

    def __init__(self) -> None:
        super().__init__("MissingAuthenticationToken", "Request is missing Authentication Token")


def patch_moto_auth() -> None:
    """Fixes the two moto 5.2.1 auth defects described in this module's docstring."""
    if moto.__version__ != "5.2.1":
        raise HarnessError(
            f"moto {moto.__version__} found, the harness patches moto 5.2.1: run `bash scripts/setup-tools.sh`"
        )
    base = access_control.IAMRequestBase
    original_init = base.__init__

    def init(self, account_id, method, path, data, body, headers, action):  # type: ignore[no-untyped-def]
        if "Authorization" not in headers:
            raise MissingAuthenticationTokenError()
        original_init(self, account_id, method, path, data, body, headers, action)

    def create_aws_request(self):  # type: ignore[no-untyped-def]
        signed = self._get_string_between("SignedHeaders=", ",", self._headers["Authorization"]).split(";")
        headers = self._create_headers_for_aws_request(signed, self._headers)
        # moto's form parsing can consume the raw body; it keeps the parsed pairs in `_data`
        # then, which botocore re-encodes. With no payload at all `_data` holds the headers.
        has_payload = self._headers.get("Content-Length", "0") not in ("", "0") or "Transfer-Encoding" in self._headers
        body = (self._body or self._data) if has_payload else b""
        request = access_control.AWSRequest(method=self._method, url=self._path, data=body, headers=headers)
        request.context["timestamp"] = headers["X-Amz-Date"]
        return request

    base.__init__ = init
    base._create_aws_request = create_aws_request

    original_authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authenticate(self, iam_request_cls, resource="*"):  # type: ignore[no-untyped-def]
        unsigned = "Authorization" not in self.headers
        if unsigned and getattr(self, "service_name", None) == "sts" and self._get_action() in UNSIGNED_STS_ACTIONS:
            return
        original_authenticate(self, iam_request_cls, resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate


def log(message: str) -> None:
    print(f"moto_harness: {message}", file=sys.stderr, flush=True)


def policy_document() -> str:
    actions = [f"{service}:{action}" for service, names in ACTIONS.items() for action in names]
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "KeyRotatorSuite", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    })


def client(service: str, endpoint: str, key_id: str, secret: str):
    return boto3.session.Session().client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        # A retried set-up call would consume one of moto's unauthenticated calls.
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def bootstrap_identity(endpoint: str) -> tuple[str, str]:
    """Creates the harness user, its policy and an access key in the unauthenticated calls."""
    iam = client("iam", endpoint, "AKIDBOOTSTRAPHARNESS", "bootstrap-not-checked")
    iam.create_user(UserName=USER_NAME)
    policy = iam.create_policy(PolicyName=POLICY_NAME, PolicyDocument=policy_document())
    iam.attach_user_policy(UserName=USER_NAME, PolicyArn=policy["Policy"]["Arn"])
    key = iam.create_access_key(UserName=USER_NAME)["AccessKey"]
    used = ActionAuthenticatorMixin.request_count
    if used != SETUP_CALLS:
        raise HarnessError(f"moto counted {used} unauthenticated calls, expected {SETUP_CALLS}")
    return key["AccessKeyId"], key["SecretAccessKey"]


def prove_auth_is_on(endpoint: str, key_id: str, secret: str) -> None:
    """A signed call with the harness key succeeds; unsigned, wrong-key and denied calls fail."""
    iam = client("iam", endpoint, key_id, secret)
    user = iam.get_user(UserName=USER_NAME)["User"]["UserName"]
    if user != USER_NAME:
        raise HarnessError(f"signed GetUser answered user {user!r}")

    # A bodiless GET: fails without the payload-hash patch.
    cloudfront = client("cloudfront", endpoint, key_id, secret)
    cloudfront.list_distributions()

    unsigned = requests.post(endpoint + "/", data={"Action": "ListUsers", "Version": "2010-05-08"}, timeout=10)
    if unsigned.status_code != 403:
        raise HarnessError(f"an unsigned ListUsers answered {unsigned.status_code}, expected 403")

    wrong = client("iam", endpoint, key_id, secret + "x")
    try:
        wrong.list_users()
    except botocore.exceptions.ClientError as error:
        code = error.response["Error"]["Code"]
        if code != "SignatureDoesNotMatch":
            raise HarnessError(f"a call signed with a wrong secret failed with {code}") from error
    else:
        raise HarnessError("a call signed with a wrong secret succeeded: signatures are not checked")

    denied = client("sts", endpoint, key_id, secret)
    try:
        denied.get_session_token()
    except botocore.exceptions.ClientError as error:
        code = error.response["Error"]["Code"]
        if code != "AccessDenied":
            raise HarnessError(f"an action outside the policy failed with {code}") from error
    else:
        raise HarnessError("an action outside the policy succeeded: policies are not checked")


VALUE_PATTERN = re.compile(r"[A-Za-z0-9]{16,}")


def record_generated_values() -> None:
    """With KEYROTATOR_OUTPUT_DIR set, appends every secret and API key value moto is given or makes
    to `values/moto-PID.txt` there, one a line, so that the suite's leak scan can look for each in
    every log line and CLI output the tests produced. The file holds raw values: it stays in that
    folder, which the test script deletes after the scan, and nothing prints it."""
    folder = os.environ.get("KEYROTATOR_OUTPUT_DIR")
    if not folder:
        return
    os.makedirs(os.path.join(folder, "values"), exist_ok=True)
    path = os.path.join(folder, "values", f"moto-{os.getpid()}.txt")
    lock = threading.Lock()

    def leaves(text: str) -> list[str]:
        try:
            document = json.loads(text)
        except ValueError:
            return [text]
        found: list[str] = []
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str):
                found.append(node)
        return found

    def save(texts: list[str]) -> None:
        values = [text for text in texts if VALUE_PATTERN.fullmatch(text)]
        if not values:
            return
        with lock, open(path, "a", encoding="utf-8") as file:
            file.write("".join(value + "\n" for value in values))

    from moto.apigateway.models import APIGatewayBackend
    from moto.secretsmanager.models import SecretsManagerBackend

    def wrap(cls: type, name: str, texts) -> None:  # noqa: ANN001 - any backend method
        original = getattr(cls, name)

        def wrapper(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            result = original(self, *args, **kwargs)
            try:
                save(texts(args, kwargs, result))
            except Exception as error:  # noqa: BLE001 - recording must never break the emulator
                log(f"could not record a generated value: {type(error).__name__}")
            return result

        setattr(cls, name, wrapper)

    def secret_string(position: int):  # noqa: ANN202
        def texts(args, kwargs, _result):  # noqa: ANN001, ANN202
            text = kwargs.get("secret_string", args[position] if len(args) > position else None)
            return leaves(text) if isinstance(text, str) else []
        return texts

    wrap(SecretsManagerBackend, "create_secret", secret_string(1))
    wrap(SecretsManagerBackend, "put_secret_value", secret_string(1))
    wrap(SecretsManagerBackend, "update_secret", secret_string(1))
    wrap(APIGatewayBackend, "create_api_key", lambda _args, _kwargs, key: [getattr(key, "value", "") or ""])


def quiet_logs() -> None:
    if VERBOSE:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
        return
    for name in ("werkzeug", "moto", "botocore", "boto3", "urllib3"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def wait_for_exit(server: ThreadedMotoServer) -> None:
    parent = os.getppid()
    done = threading.Event()

    def stop(*_: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_stdin() -> None:
        try:
            while sys.stdin.buffer.read1(4096):
                pass
        except (OSError, ValueError):
            pass
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    while not done.wait(0.5):
        if os.getppid() != parent:
            break
    server.stop()


def main() -> int:
    quiet_logs()
    try:
        patch_moto_auth()
        record_generated_values()
    except HarnessError as error:
        log(str(error))
        return 1
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    started = time.monotonic()
    try:
        key_id, secret = bootstrap_identity(endpoint)
        prove_auth_is_on(endpoint, key_id, secret)
    except Exception as error:  # noqa: BLE001 - report any start-up failure, then exit
        log(f"start-up failed: {type(error).__name__}: {error}")
        server.stop()
        return 1
    if VERBOSE:
        log(f"ready on {endpoint} in {time.monotonic() - started:.2f}s, auth on")
    line = {"endpoint": endpoint, "accessKeyId": key_id, "secretAccessKey": secret, "region": REGION}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
    wait_for_exit(server)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Request threads are daemons that may still hold sockets: leave without joining them.
    os._exit(code)
