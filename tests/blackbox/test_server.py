"""Server process behaviour: configuration via flags/env, generated root
credentials, /-/health, /-/metrics, JSON request logs on stdout."""

import configparser
import json
import re
import stat
import time
import urllib.request
import urllib.error

import pytest

from conftest import make_client, run_magpie, start_server
from helpers import Creds, object_path


def _wait_for(predicate, timeout=10.0, interval=0.1):
    """Bounded polling for something the server writes asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def test_health_is_unauthenticated_200(server):
    with urllib.request.urlopen(server.endpoint + "/-/health", timeout=10) as r:
        assert r.status == 200


def test_generated_root_credentials(tmp_path):
    data = tmp_path / "data"
    srv = start_server(data, tmp_path / "logs", access_key=None, secret_key=None)
    try:
        cred_file = data / "credentials"
        assert cred_file.is_file(), list(data.iterdir())
        assert stat.S_IMODE(cred_file.stat().st_mode) == 0o600, oct(cred_file.stat().st_mode)
        cp = configparser.ConfigParser()
        cp.read_string(cred_file.read_text())
        ak = cp["default"]["aws_access_key_id"].strip()
        sk = cp["default"]["aws_secret_access_key"].strip()
        assert ak and sk and ak != sk
        # printed once, with an aws CLI example
        printed = _wait_for(lambda: (srv.stdout_text() + srv.stderr_text())
                            if ak in (srv.stdout_text() + srv.stderr_text()) else "")
        assert ak in printed and sk in printed
        assert re.search(r"aws --endpoint-url http://\S+ s3 ls", printed), printed[-2000:]
        # the generated keys work
        c = make_client(srv.endpoint, Creds(ak, sk))
        assert "Buckets" in c.list_buckets()
        # admin CLI reads DIR/credentials via --data-dir
        p = run_magpie(["admin", "user", "list", "--endpoint", srv.endpoint, "--data-dir", str(data)])
        assert isinstance(json.loads(p.stdout), list)
        before = cred_file.read_bytes()
        c.create_bucket(Bucket="persist-check")
        c.put_object(Bucket="persist-check", Key="k", Body=b"survives restart")
    finally:
        srv.stop()
    # restart: same credentials, same data
    srv2 = start_server(data, tmp_path / "logs2", access_key=None, secret_key=None)
    try:
        assert cred_file.read_bytes() == before
        c = make_client(srv2.endpoint, Creds(ak, sk))
        assert c.get_object(Bucket="persist-check", Key="k")["Body"].read() == b"survives restart"
    finally:
        srv2.stop()


def test_config_via_environment(tmp_path):
    srv = start_server(tmp_path / "envdata", tmp_path / "logs", config_via_env=True)
    try:
        c = srv.client()
        c.create_bucket(Bucket="env-config")
        assert "env-config" in [b["Name"] for b in c.list_buckets()["Buckets"]]
        # data went to MAGPIE_DATA_DIR
        assert any((tmp_path / "envdata").iterdir())
    finally:
        srv.stop()


def _metrics(server) -> str:
    with urllib.request.urlopen(server.endpoint + "/-/metrics", timeout=10) as r:
        assert r.status == 200
        ctype = r.headers.get("Content-Type", "")
        assert ctype.startswith("text/plain") or "openmetrics" in ctype, ctype
        return r.read().decode()


def _request_counter_total(text: str) -> float:
    counters = set(re.findall(r"^# TYPE (\S+) counter\s*$", text, re.M))
    names = {n for n in counters if "request" in n}
    assert names, f"no request counter in metrics:\n{text[:2000]}"
    total = 0.0
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)", line)
        if m and (m.group(1) in names or m.group(1).removesuffix("_total") in names):
            total += float(m.group(3))
    return total


def test_metrics_counts_requests(server, s3, bucket):
    before = _request_counter_total(_metrics(server))
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"m{i}", Body=b"x")
    after = _wait_for(lambda: (lambda v: v if v >= before + 5 else 0)(
        _request_counter_total(_metrics(server))), timeout=5)
    assert after >= before + 5, (before, after)


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


def test_json_request_log_line_per_request(server, signer, s3, bucket):
    r = signer.request("GET", object_path(bucket, "log-probe-missing"))
    assert r.status == 404
    rid = r.header("x-amz-request-id")
    assert rid

    def find_line():
        for line in server.stdout_text().splitlines():
            if rid in line:
                return line
        return None

    line = _wait_for(find_line, timeout=10)
    assert line, f"no stdout log line with request id {rid}"
    entry = _flatten(json.loads(line))
    lower = {k.lower(): v for k, v in entry.items()}
    assert rid in [str(v) for v in entry.values()]
    statuses = [v for k, v in lower.items() if "status" in k]
    assert 404 in statuses or "404" in statuses, entry
    assert bucket in [v for k, v in lower.items() if "bucket" in k], entry
    assert any("op" in k for k in lower), entry                      # operation
    assert any(re.search(r"latency|duration|elapsed|ms", k) for k in lower), entry
    assert any("bytes" in k or "size" in k for k in lower), entry


def test_stdout_is_only_json_lines(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.get_object(Bucket=bucket, Key="k")["Body"].read()
    lines = [ln for ln in server.stdout_text().splitlines() if ln.strip()]
    assert lines, "no request log lines on stdout"
    for ln in lines:
        try:
            json.loads(ln)
        except json.JSONDecodeError:
            pytest.fail(f"non-JSON line on stdout: {ln[:300]!r}")


def test_unknown_admin_path_is_not_s3_bucket(server):
    # /-/… is the server's own namespace; an unknown path there must not be served as a bucket
    try:
        urllib.request.urlopen(server.endpoint + "/-/no-such-endpoint", timeout=10)
        pytest.fail("unknown /-/ path returned success")
    except urllib.error.HTTPError as e:
        assert 400 <= e.code < 500, e.code
        assert e.headers.get("x-amz-request-id")
