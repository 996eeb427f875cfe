"""Authorizer cost: Secrets Manager calls for N authorizations, KeyRotator's warm `bootstrap`
(`origin-authorizer`) against amazon-api-gateway-secure-authorizer==0.1.0 under awslambdaric, in
the same run, against the same emulator and secret.

Each function runs as Lambda runs it: a process behind a Runtime API served here on 127.0.0.1,
invoked N times in a row with API Gateway HTTP API (payload 2.0) authorizer events. Its AWS calls go
through a counting proxy in front of moto (IAM authentication on). Reported per subject:
GetSecretValue and DescribeSecret calls, authorizations answered, allowed, time per authorization.
One in 20 events carries a wrong value. The secret value is generated here and never printed.
"""
import argparse
import http.client
import json
import os
import secrets
import socket
import string
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from runtime_api_server import PREFIX, FastHandler, serve  # noqa: E402


class CountingProxy:
    """Forwards every request to the emulator unchanged (Host included: SigV4 signs it) and counts
    them by X-Amz-Target."""

    def __init__(self, upstream):
        parsed = urllib.parse.urlparse(upstream)
        self.host, self.port = parsed.hostname, parsed.port
        self.counts = {}
        self.lock = threading.Lock()
        proxy = self

        class Handler(FastHandler):
            def _forward(self):
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else None
                target = self.headers.get("X-Amz-Target", self.command + " " + self.path.split("?")[0])
                with proxy.lock:
                    proxy.counts[target] = proxy.counts.get(target, 0) + 1
                connection = http.client.HTTPConnection(proxy.host, proxy.port, timeout=60)
                connection.connect()
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    if name.lower() not in ("connection", "keep-alive", "transfer-encoding"):
                        connection.putheader(name, value)
                connection.endheaders(body)
                response = connection.getresponse()
                data = response.read()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        self.server = serve(Handler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]

    def take(self):
        with self.lock:
            counts, self.counts = self.counts, {}
        return counts


class RuntimeAPI:
    """Hands events to one function process, one at a time, and collects its answers."""

    def __init__(self, events):
        self.events = list(events)
        self.next = 0
        self.answers = []
        self.init_error = None
        self.cond = threading.Condition()
        api = self

        class Handler(FastHandler):
            def do_GET(self):
                if self.path != PREFIX + "/invocation/next":
                    return self._reply(404)
                with api.cond:
                    while api.next >= len(api.events) or len(api.answers) < api.next:
                        if not api.cond.wait(timeout=120):
                            return self._reply(500)
                    index = api.next
                    api.next += 1
                self._invocation("bench-%d" % index, api.events[index], "authorizer-bench")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                with api.cond:
                    if self.path == PREFIX + "/init/error":
                        api.init_error = body
                    else:
                        api.answers.append((self.path.rsplit("/", 1)[-1], body))
                    api.cond.notify_all()
                self._reply(202)

        self.server = serve(Handler)
        self.endpoint = "127.0.0.1:%d" % self.server.server_address[1]

    def wait_done(self, process, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.answers) < len(self.events) and self.init_error is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    break
                self.cond.wait(timeout=1)


def event(value):
    return json.dumps({
        "version": "2.0", "type": "REQUEST", "routeKey": "GET /pets",
        "routeArn": "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/pets",
        "identitySource": [value], "headers": {"x-origin-verify": value, "host": "api.example.com"},
        "requestContext": {"http": {"method": "GET", "path": "/pets"}},
    }).encode()


def run_subject(name, command, environment, events):
    api = RuntimeAPI(events)
    env = dict(environment, AWS_LAMBDA_RUNTIME_API=api.endpoint)
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        api.wait_done(process, timeout=600)
    finally:
        elapsed = time.monotonic() - started
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        api.server.shutdown()
    if api.init_error is not None:
        raise SystemExit("%s failed to start: %s" % (name, api.init_error.decode(errors="replace")))
    allowed = sum(1 for kind, body in api.answers if kind == "response" and json.loads(body or b"{}").get("isAuthorized") is True)
    errors = sum(1 for kind, _ in api.answers if kind != "response")
    return {"subject": name, "authorizations": len(api.answers), "allowed": allowed, "errors": errors, "seconds": round(elapsed, 2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--python", required=True, help="bench venv interpreter (awslambdaric + the secure authorizer)")
    parser.add_argument("--moto-python", required=True, help="project .venv interpreter (moto)")
    parser.add_argument("--root", required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--python-count", type=int, default=500,
                        help="authorizations for the secure authorizer, which costs ~0.2 s each here; its calls scale linearly")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    harness = subprocess.Popen([args.moto_python, os.path.join(args.root, "scripts/moto_harness.py")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        moto = json.loads(harness.stdout.readline())
        proxy = CountingProxy(moto["endpoint"])
        import boto3
        sm = boto3.client("secretsmanager", endpoint_url=moto["endpoint"], region_name=moto["region"],
                          aws_access_key_id=moto["accessKeyId"], aws_secret_access_key=moto["secretAccessKey"])
        name = "authorizer-bench-%s" % secrets.token_hex(4)
        value = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        sm.create_secret(Name=name, SecretString=json.dumps({"HTTP_API_KEY": value}))
        events = [event(value if i % 20 else "wrong-" + value[:16]) for i in range(args.count)]
        common = {
            "PATH": "/usr/bin:/bin", "AWS_REGION": moto["region"], "AWS_DEFAULT_REGION": moto["region"],
            "AWS_ACCESS_KEY_ID": moto["accessKeyId"], "AWS_SECRET_ACCESS_KEY": moto["secretAccessKey"],
            "AWS_ENDPOINT_URL": proxy.endpoint, "AWS_EC2_METADATA_DISABLED": "true",
            "SECRET_NAME": name, "SECRET_KEY_NAME": "HTTP_API_KEY", "HEADER_NAME": "x-origin-verify",
            "AWS_LAMBDA_FUNCTION_NAME": "authorizer-bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_LOG_LEVEL": "WARN",
        }
        subjects = [
            ("swift bootstrap (origin-authorizer)", [args.bootstrap], dict(common, _HANDLER="origin-authorizer"), args.count),
            ("python secure-authorizer 0.1.0", [args.python, "-m", "awslambdaric", "secure_authorizer.authorizer.handler"],
             dict(common, _HANDLER="secure_authorizer.authorizer.handler", LAMBDA_TASK_ROOT=os.getcwd()), min(args.count, args.python_count)),
        ]
        results = []
        for subject, command, environment, count in subjects:
            proxy.take()
            result = run_subject(subject, command, environment, events[:count])
            counts = proxy.take()
            result["GetSecretValue"] = counts.get("secretsmanager.GetSecretValue", 0)
            result["DescribeSecret"] = counts.get("secretsmanager.DescribeSecret", 0)
            result["microsecondsPerAuthorization"] = round(result["seconds"] / max(1, result["authorizations"]) * 1e6)
            result["GetSecretValuePer10000"] = round(result["GetSecretValue"] * 10_000 / max(1, result["authorizations"]), 1)
            results.append(result)
    finally:
        harness.terminate()

    print("authorizations (1 in 20 with a wrong value), one process each, in one cache window")
    print("%-38s %9s %8s %9s %8s %7s %10s %15s" % ("subject", "answered", "allowed", "GetSecret", "Describe", "errors", "us/auth", "GetSecret/10k"))
    for r in results:
        print("%-38s %9d %8d %9d %8d %7d %10d %15.1f" % (r["subject"], r["authorizations"], r["allowed"], r["GetSecretValue"],
                                                       r["DescribeSecret"], r["errors"], r["microsecondsPerAuthorization"], r["GetSecretValuePer10000"]))
    ours, theirs = results[0], results[1]
    print("GetSecretValue per 10,000 authorizations: %.1f vs %.1f (the secure authorizer's figure scaled from %d; it makes"
          " one call per request, two for a wrong value)" % (ours["GetSecretValuePer10000"], theirs["GetSecretValuePer10000"], theirs["authorizations"]))
    print("The secure authorizer's errors are its answers to a wrong value while no rotation is under way: with no"
          " AWSPENDING version it raises, and API Gateway answers 500.")
    if args.json:
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    if results[0]["authorizations"] != args.count or results[1]["authorizations"] != min(args.count, args.python_count):
        sys.exit("a subject did not answer every authorization")


if __name__ == "__main__":
    main()
