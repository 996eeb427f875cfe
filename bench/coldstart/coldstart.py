"""Cold-start benchmark: KeyRotator's release `bootstrap` against the Python function it replaces.

For each run it starts a fresh process behind a minimal Lambda Runtime API (2018-06-01) served on
127.0.0.1 by this script, queues one event, and measures
  - start:  wall time from just before the process is spawned to the arrival of its first answer
            to that invocation (POST .../response or .../error), in milliseconds;
  - rss:    the process's peak resident set size (VmHWM from /proc/PID/status) read right after
            that answer, in MiB.
Subjects run interleaved (one run of each in turn) after one unmeasured warm-up each, so disk
cache and machine noise hit them alike. Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from runtime_api_server import PREFIX, FastHandler, serve  # noqa: E402


class RuntimeAPI:
    """Serves one invocation to one process and records when, and how, it was answered.

    A fresh instance (and port) per run: a killed process's pending long poll cannot take the
    next run's event."""

    def __init__(self, event):
        self.lock = threading.Condition()
        self.event = ("bench-%d" % time.monotonic_ns(), event)
        self.answer = None  # (kind, monotonic ns, body)
        api = self

        class Handler(FastHandler):
            def do_GET(self):
                if self.path != PREFIX + "/invocation/next":
                    return self._reply(404)
                with api.lock:
                    while api.event is None:
                        if not api.lock.wait(timeout=60):
                            return self._reply(500)
                    request_id, body = api.event
                    api.event = None
                self._invocation(request_id, body)

            def do_POST(self):
                now = time.monotonic_ns()
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                kind = self.path.rsplit("/", 1)[-1] if self.path.startswith(PREFIX) else "unknown"
                if self.path == PREFIX + "/init/error":
                    kind = "init-error"
                with api.lock:
                    if api.answer is None:
                        api.answer = (kind, now, body)
                        api.lock.notify_all()
                self._reply(202)

        self.server = serve(Handler)
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def wait_answer(self, timeout):
        with self.lock:
            end = time.monotonic() + timeout
            while self.answer is None and time.monotonic() < end:
                self.lock.wait(timeout=end - time.monotonic())
            return self.answer


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def run_once(subject):
    api = RuntimeAPI(subject["event"])
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % api.port}
    env.update(subject["env"])
    start = time.monotonic_ns()
    process = subprocess.Popen(subject["command"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        answer = api.wait_answer(timeout=60)
        if answer is None:
            raise RuntimeError("%s gave no answer within 60 s" % subject["name"])
        kind, at, body = answer
        rss = peak_rss_kib(process.pid)
        if kind not in subject["expect"]:
            raise RuntimeError("%s answered %s, expected %s: %s" % (subject["name"], kind, subject["expect"], body[:300]))
        return (at - start) / 1e6, rss / 1024.0
    finally:
        process.kill()
        process.wait()
        api.close()


def summary(values):
    return min(values), statistics.median(values), max(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True, help="the release bootstrap executable")
    parser.add_argument("--python", default=sys.executable, help="the bench venv's python")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    aws = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}
    rotation_event = json.dumps({
        "SecretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf",
        "ClientRequestToken": "00000000-0000-4000-8000-000000000000",
        "Step": "createSecret",
    }).encode()
    subjects = [
        {
            "name": "swift bootstrap (echo)",
            "command": [args.bootstrap],
            "env": dict(aws, _HANDLER="echo"),
            "event": b'{"message":"bench"}',
            "expect": {"response"},
        },
        {
            # The smallest cold start the Python function can have: awslambdaric, the handler module
            # (boto3 import), then a ValueError on an event without SecretId/Step: no AWS client made.
            "name": "python rotator (import + handler entry)",
            "command": [args.python, "-m", "awslambdaric", "api_key_rotator.handler.lambda_handler"],
            "env": dict(aws, _HANDLER="api_key_rotator.handler.lambda_handler"),
            "event": b"{}",
            "expect": {"error"},
        },
        {
            # What a real createSecret pays before its first AWS call: the same, plus creating the
            # Secrets Manager client; the call itself goes to a closed local port and fails at once.
            "name": "python rotator (+ boto3 client, first call refused)",
            "command": [args.python, "-m", "awslambdaric", "api_key_rotator.handler.lambda_handler"],
            "env": dict(aws, _HANDLER="api_key_rotator.handler.lambda_handler",
                        AWS_ENDPOINT_URL="http://127.0.0.1:9", AWS_MAX_ATTEMPTS="1",
                        AWS_ACCESS_KEY_ID="AKIDBENCHMARKONLY000", AWS_SECRET_ACCESS_KEY="bench-not-a-secret"),
            "event": rotation_event,
            "expect": {"error"},
        },
    ]

    results = {subject["name"]: {"start_ms": [], "rss_mib": []} for subject in subjects}
    for subject in subjects:
        run_once(subject)
    for _ in range(args.runs):
        for subject in subjects:
            start_ms, rss_mib = run_once(subject)
            results[subject["name"]]["start_ms"].append(start_ms)
            results[subject["name"]]["rss_mib"].append(rss_mib)

    print("cold start over %d runs each (min / median / max)" % args.runs)
    print("%-52s %28s %26s" % ("subject", "start to first answer (ms)", "peak RSS (MiB)"))
    for name, figures in results.items():
        t = summary(figures["start_ms"])
        r = summary(figures["rss_mib"])
        print("%-52s %8.1f / %7.1f / %7.1f %7.1f / %6.1f / %6.1f" % (name, *t, *r))
    swift = results[subjects[0]["name"]]
    for subject in subjects[1:]:
        other = results[subject["name"]]
        print("ratio vs %s: start %.1fx faster, RSS %.1fx smaller (medians)" % (
            subject["name"],
            statistics.median(other["start_ms"]) / statistics.median(swift["start_ms"]),
            statistics.median(other["rss_mib"]) / statistics.median(swift["rss_mib"])))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"runs": args.runs, "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
