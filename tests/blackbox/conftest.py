"""Fixtures for the Magpie black-box suite.

Each pytest-xdist worker (or the single process without -n) starts its own
`magpie serve` on a free loopback port with a temporary data dir and fixed
root keys, waits for GET /-/health, and stops it at the end of the session.

Environment:
  MAGPIE_BIN   path to the server binary (default: <repo>/.build/debug/magpie)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from helpers import Creds, Signer

REPO = Path(__file__).resolve().parents[2]
MAGPIE_BIN = os.environ.get("MAGPIE_BIN", str(REPO / ".build" / "debug" / "magpie"))
HEALTH_TIMEOUT = 60.0
ROOT_ACCESS_KEY = "MAGPIEROOTTESTKEY001"
ROOT_SECRET_KEY = "magpie/root+test/secret/0123456789abcdefXYZ"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: large-object and crash tests (run by default)")


def _die_with_parent():
    """preexec_fn: on Linux, SIGKILL the server if the pytest process that started it
    dies (e.g. a pytest-timeout abort), so no orphaned servers are left behind."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_binary() -> str:
    if not (os.path.isfile(MAGPIE_BIN) and os.access(MAGPIE_BIN, os.X_OK)):
        pytest.fail(f"magpie binary not found or not executable at {MAGPIE_BIN} "
                    f"(build it, or set MAGPIE_BIN)", pytrace=False)
    return MAGPIE_BIN


def base_env() -> dict:
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("MAGPIE_") and k != "MAGPIE_BIN":
            del env[k]
        if k.startswith("AWS_"):
            del env[k]
    return env


@dataclass
class MagpieServer:
    host: str
    port: int
    data_dir: Path
    access_key: str | None
    secret_key: str | None
    proc: subprocess.Popen
    stdout_path: Path
    stderr_path: Path

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def creds(self) -> Creds:
        return Creds(self.access_key, self.secret_key)

    def signer(self, creds: Creds | None = None) -> Signer:
        return Signer(self.host, self.port, creds or self.creds)

    def health_ok(self, timeout: float = 5.0) -> bool:
        try:
            with urllib.request.urlopen(self.endpoint + "/-/health", timeout=timeout) as r:
                return r.status == 200
        except Exception:
            return False

    def stdout_text(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr_text(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def client(self, creds: Creds | None = None, **config_kwargs):
        creds = creds or self.creds
        return make_client(self.endpoint, creds, **config_kwargs)

    def stop(self, sig=signal.SIGTERM, timeout: float = 15.0):
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=timeout)

    def kill9(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)


def start_server(data_dir: Path, log_dir: Path, access_key: str | None = ROOT_ACCESS_KEY,
                 secret_key: str | None = ROOT_SECRET_KEY, extra_env: dict | None = None,
                 attempts: int = 3, config_via_env: bool = False,
                 extra_args: list[str] | None = None) -> MagpieServer:
    """Start `magpie serve` and wait (bounded) for /-/health. Retries on a port race."""
    binary = require_binary()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    last_err = ""
    for attempt in range(attempts):
        port = free_port()
        env = base_env()
        if access_key is not None:
            env["MAGPIE_ROOT_ACCESS_KEY"] = access_key
            env["MAGPIE_ROOT_SECRET_KEY"] = secret_key
        env.update(extra_env or {})
        tag = f"{port}-{attempt}-{uuid.uuid4().hex[:6]}"
        out_path = log_dir / f"magpie-{tag}.stdout"
        err_path = log_dir / f"magpie-{tag}.stderr"
        if config_via_env:
            args = [binary, "serve"]
            env.update({"MAGPIE_ADDRESS": "127.0.0.1", "MAGPIE_PORT": str(port),
                        "MAGPIE_DATA_DIR": str(data_dir)})
        else:
            args = [binary, "serve", "--address", "127.0.0.1", "--port", str(port),
                    "--data-dir", str(data_dir)]
        args += extra_args or []
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    env=env, preexec_fn=_die_with_parent)
        server = MagpieServer("127.0.0.1", port, data_dir, access_key, secret_key, proc,
                              out_path, err_path)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if server.health_ok(timeout=2):
                return server
            time.sleep(0.1)  # bounded polling for readiness
        server.stop()
        last_err = (f"exit={proc.returncode}\nstdout:\n{server.stdout_text()[-3000:]}\n"
                    f"stderr:\n{server.stderr_text()[-3000:]}")
    pytest.fail(f"magpie serve did not become healthy within {HEALTH_TIMEOUT}s "
                f"(after {attempts} attempts):\n{last_err}", pytrace=False)


def make_client(endpoint: str, creds: Creds, **config_kwargs):
    s3cfg = dict(config_kwargs.pop("s3", {}) or {})
    s3cfg.setdefault("addressing_style", "path")
    cfg = Config(s3=s3cfg, connect_timeout=10, read_timeout=120, **config_kwargs)
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key,
        config=cfg)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> MagpieServer:
    base = tmp_path_factory.mktemp("magpie-session")
    srv = start_server(base / "data", base / "logs")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def endpoint(server) -> str:
    return server.endpoint


@pytest.fixture(scope="session")
def root_creds(server) -> Creds:
    return server.creds


@pytest.fixture(scope="session")
def s3(server):
    """boto3 client with default settings (checksums on), path-style."""
    return server.client()


@pytest.fixture(scope="session")
def s3_when_required(server):
    return server.client(request_checksum_calculation="when_required",
                         response_checksum_validation="when_required")


@pytest.fixture(scope="session")
def s3_v2(server):
    """SigV2 (legacy `AWS key:sig` header auth)."""
    return server.client(signature_version="s3")


@pytest.fixture(scope="session")
def signer(server) -> Signer:
    return server.signer()


def unique_bucket_name(prefix: str = "mp") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


def empty_and_delete_bucket(client, name: str):
    try:
        paginator = client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=name):
            objs = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            for i in range(0, len(objs), 1000):
                client.delete_objects(Bucket=name, Delete={"Objects": objs[i:i + 1000],
                                                           "Quiet": True})
        client.delete_bucket(Bucket=name)
    except Exception:
        pass  # best-effort cleanup; each test uses its own bucket


@pytest.fixture
def bucket(s3):
    name = unique_bucket_name()
    s3.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(s3, name)


@pytest.fixture
def make_bucket(s3):
    created = []

    def _make(client=None):
        c = client or s3
        name = unique_bucket_name()
        c.create_bucket(Bucket=name)
        created.append((c, name))
        return name

    yield _make
    for c, name in created:
        empty_and_delete_bucket(c, name)


def aws_cli_env(endpoint_creds: Creds, home: Path) -> dict:
    env = base_env()
    env.update({
        "AWS_ACCESS_KEY_ID": endpoint_creds.access_key,
        "AWS_SECRET_ACCESS_KEY": endpoint_creds.secret_key,
        "AWS_DEFAULT_REGION": "us-east-1",
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "aws-config-none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials-none"),
        "AWS_PAGER": "",
    })
    return env


@pytest.fixture
def aws_cli(server, tmp_path):
    """Run the aws CLI (v1) against the server with default settings."""
    aws = shutil.which("aws")
    if aws is None:
        pytest.fail("aws CLI not installed (run scripts/install-test-deps.sh)", pytrace=False)
    home = tmp_path / "home"
    home.mkdir()
    env = aws_cli_env(server.creds, home)

    def run(*args, check=True, input=None, timeout=120):
        cmd = [aws, "--endpoint-url", server.endpoint, *args]
        p = subprocess.run(cmd, env=env, capture_output=True, input=input, timeout=timeout,
                           cwd=tmp_path)
        if check and p.returncode != 0:
            raise AssertionError(f"{cmd} failed rc={p.returncode}\nstdout: "
                                 f"{p.stdout.decode(errors='replace')}\nstderr: "
                                 f"{p.stderr.decode(errors='replace')}")
        return p

    return run


def run_magpie(args: list[str], env_extra: dict | None = None, timeout: float = 60,
               check: bool = True):
    binary = require_binary()
    env = base_env()
    env.update(env_extra or {})
    p = subprocess.run([binary, *args], env=env, capture_output=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    if check and p.returncode != 0:
        raise AssertionError(f"magpie {' '.join(args)} failed rc={p.returncode}\nstdout: "
                             f"{p.stdout.decode(errors='replace')}\nstderr: "
                             f"{p.stderr.decode(errors='replace')}")
    return p


@pytest.fixture
def magpie_cli(server):
    """Run `magpie ...` against the session server with root creds from env."""
    def run(*args, check=True, env_extra=None, timeout=60):
        env = {"MAGPIE_ENDPOINT": server.endpoint,
               "MAGPIE_ROOT_ACCESS_KEY": server.access_key,
               "MAGPIE_ROOT_SECRET_KEY": server.secret_key}
        env.update(env_extra or {})
        return run_magpie(list(args), env, timeout=timeout, check=check)
    return run


@pytest.fixture(scope="session")
def anon(server):
    """boto3 client that sends no credentials at all (anonymous requests)."""
    cfg = Config(s3={"addressing_style": "path"}, signature_version=UNSIGNED,
                 connect_timeout=10, read_timeout=60, retries={"max_attempts": 1})
    return boto3.session.Session().client("s3", endpoint_url=server.endpoint,
                                          region_name="us-east-1", config=cfg)


@pytest.fixture
def new_user(server, magpie_cli):
    """Factory: a fresh Magpie user with one key -> SimpleNamespace(name, id, email, creds, client)."""
    def _make(prefix: str = "user"):
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        email = f"{name}@example.com"
        info = json.loads(magpie_cli("admin", "user", "create", name, "--email", email).stdout)
        key = json.loads(magpie_cli("admin", "key", "create", "--user", name).stdout)
        creds = Creds(key["accessKey"], key["secretKey"])
        return SimpleNamespace(name=name, id=info["canonicalId"], email=email, creds=creds,
                               client=make_client(server.endpoint, creds,
                                                  retries={"max_attempts": 1}))
    return _make
