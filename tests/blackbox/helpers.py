"""Shared helpers for the Magpie black-box suite.

Everything here is client-side only: a minimal, independent AWS SigV4 signer
(header auth, presigned query auth, aws-chunked streaming signatures), a raw
HTTP client that sends exactly the bytes we ask for, and parsers for S3 error
XML. The signer is checked against AWS's published example vectors in
test_helpers_selftest.py, so a failure elsewhere can be attributed to the server.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import socket
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field

REGION = "us-east-1"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"


@dataclass(frozen=True)
class Creds:
    access_key: str
    secret_key: str


# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------

def uri_encode(s: str, encode_slash: bool = True) -> str:
    """AWS URI encoding: everything but A-Za-z0-9-_.~ is %XX (upper-case) of UTF-8."""
    safe = "-_.~" if encode_slash else "-_.~/"
    return urllib.parse.quote(s, safe=safe)


def object_path(bucket: str, key: str) -> str:
    return "/" + bucket + "/" + uri_encode(key, encode_slash=False)


def canonical_uri(path: str) -> str:
    """S3's canonical URI: the path decoded once, then AWS-URI-encoded once ('/' kept).
    So a client may send '!' raw or as %21 and both sign the same."""
    return uri_encode(urllib.parse.unquote(path), encode_slash=False)


def canonical_query(query) -> str:
    """query: dict or list of (name, value) pairs; value None means a bare name (`?acl`)."""
    items = list(query.items()) if isinstance(query, dict) else list(query or [])
    enc = [(uri_encode(k), uri_encode("" if v is None else str(v))) for k, v in items]
    enc.sort()
    return "&".join(f"{k}={v}" for k, v in enc)


def wire_query(query) -> str:
    items = list(query.items()) if isinstance(query, dict) else list(query or [])
    parts = []
    for k, v in items:
        parts.append(uri_encode(k) if v is None else f"{uri_encode(k)}={uri_encode(str(v))}")
    return "&".join(parts)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def md5_b64(data: bytes) -> str:
    return b64(hashlib.md5(data).digest())


def crc32_b64(data: bytes) -> str:
    return b64((zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big"))


def _crc32c_table():
    poly = 0x82F63B78
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    t = _CRC32C_TABLE
    for byte in data:
        crc = t[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def crc32c_b64(data: bytes) -> str:
    return b64(crc32c(data).to_bytes(4, "big"))


def sha1_b64(data: bytes) -> str:
    return b64(hashlib.sha1(data).digest())


def sha256_b64(data: bytes) -> str:
    return b64(hashlib.sha256(data).digest())


# --------------------------------------------------------------------------
# SigV4
# --------------------------------------------------------------------------

def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str = REGION, service: str = "s3") -> bytes:
    k = _hmac(("AWS4" + secret).encode(), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def amz_date(when: dt.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


@dataclass
class SignedRequest:
    headers: dict
    signature: str
    amz_date: str
    scope: str
    key: bytes
    canonical_request: str = ""


def sign_v4_headers(method: str, path: str, query, headers: dict, payload_hash: str,
                    creds: Creds, when: dt.datetime | None = None, region: str = REGION,
                    add_content_sha256: bool = True) -> SignedRequest:
    """Sign with an Authorization header. `headers` must include Host. Every header
    passed is signed. `path` is the URI path exactly as it will be sent."""
    when = when or utcnow()
    date_s = amz_date(when)
    h = {k.lower(): str(v) for k, v in headers.items()}
    h["x-amz-date"] = date_s
    if add_content_sha256:
        h["x-amz-content-sha256"] = payload_hash
    signed = sorted(h)
    canon_headers = "".join(f"{k}:{' '.join(h[k].strip().split())}\n" for k in signed)
    creq = "\n".join([method, canonical_uri(path), canonical_query(query), canon_headers,
                      ";".join(signed), payload_hash])
    scope = f"{date_s[:8]}/{region}/s3/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", date_s, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = signing_key(creds.secret_key, date_s[:8], region)
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    out = dict(headers)
    out["x-amz-date"] = date_s
    if add_content_sha256:
        out["x-amz-content-sha256"] = payload_hash
    out["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={creds.access_key}/{scope}, "
                            f"SignedHeaders={';'.join(signed)}, Signature={sig}")
    return SignedRequest(out, sig, date_s, scope, key, creq)


def presign_v4(method: str, host: str, path: str, creds: Creds, expires: int,
               when: dt.datetime | None = None, extra_query=None,
               region: str = REGION) -> str:
    """Returns path?query for a SigV4 presigned URL (host the only signed header)."""
    when = when or utcnow()
    date_s = amz_date(when)
    scope = f"{date_s[:8]}/{region}/s3/aws4_request"
    q = list((extra_query or {}).items()) if isinstance(extra_query, dict) else list(extra_query or [])
    q += [("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
          ("X-Amz-Credential", f"{creds.access_key}/{scope}"),
          ("X-Amz-Date", date_s),
          ("X-Amz-Expires", str(expires)),
          ("X-Amz-SignedHeaders", "host")]
    creq = "\n".join([method, canonical_uri(path), canonical_query(q), f"host:{host}\n", "host",
                      UNSIGNED_PAYLOAD])
    sts = "\n".join(["AWS4-HMAC-SHA256", date_s, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    sig = hmac.new(signing_key(creds.secret_key, date_s[:8], region), sts.encode(),
                   hashlib.sha256).hexdigest()
    q.append(("X-Amz-Signature", sig))
    return path + "?" + wire_query(q)


def chunk_signature(key: bytes, date_s: str, scope: str, prev_sig: str, chunk: bytes) -> str:
    sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", date_s, scope, prev_sig, EMPTY_SHA256,
                     hashlib.sha256(chunk).hexdigest()])
    return hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()


def aws_chunked_signed_body(chunks: list[bytes], signed: SignedRequest,
                            corrupt_chunk: int | None = None) -> bytes:
    """aws-chunked body with per-chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).
    corrupt_chunk: index of a chunk whose *data* is altered after signing."""
    out = bytearray()
    prev = signed.signature
    for i, chunk in enumerate(list(chunks) + [b""]):
        sig = chunk_signature(signed.key, signed.amz_date, signed.scope, prev, chunk)
        data = chunk
        if corrupt_chunk is not None and i == corrupt_chunk and chunk:
            data = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
        out += f"{len(chunk):x};chunk-signature={sig}\r\n".encode() + data + b"\r\n"
        prev = sig
    return bytes(out)


def aws_chunked_signed_length(chunk_sizes: list[int]) -> int:
    total = 0
    for n in list(chunk_sizes) + [0]:
        total += len(f"{n:x};chunk-signature=".encode()) + 64 + 2 + n + 2
    return total


def aws_chunked_unsigned_trailer_body(chunks: list[bytes], trailer_name: str,
                                      trailer_value: str) -> bytes:
    out = bytearray()
    for chunk in chunks:
        out += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    out += b"0\r\n" + f"{trailer_name}:{trailer_value}\r\n".encode() + b"\r\n"
    return bytes(out)


# --------------------------------------------------------------------------
# Raw HTTP
# --------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str, default=None):
        return self.headers.get(name, default)

    @property
    def error(self) -> dict:
        return parse_error(self.body)

    def __repr__(self):
        return f"<Response {self.status} {dict(self.headers)} {self.body[:500]!r}>"


def http_request(host: str, port: int, method: str, target: str, headers: dict | None = None,
                 body: bytes | None = None, timeout: float = 60) -> Response:
    """Send exactly `target` as the request-target. headers must include Host if signed."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        skip_host = any(k.lower() == "host" for k in hdrs)
        skip_ae = any(k.lower() == "accept-encoding" for k in hdrs)
        conn.putrequest(method, target, skip_host=skip_host, skip_accept_encoding=skip_ae)
        if body is not None and not any(k.lower() in ("content-length", "transfer-encoding")
                                        for k in hdrs):
            hdrs["Content-Length"] = str(len(body))
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders()
        if body:
            conn.send(body)
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, r.reason, r.headers, data)
    finally:
        conn.close()


def parse_error(body: bytes) -> dict:
    """Parse an S3 <Error> document into {tag: text}. Empty dict if not an error doc."""
    if not body:
        return {}
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return {}
    if strip_ns(root.tag) != "Error":
        return {}
    return {strip_ns(child.tag): (child.text or "") for child in root}


def strip_ns(tag: str) -> str:
    return tag.split("}", 1)[1] if "}" in tag else tag


def xml_root(body: bytes):
    return ET.fromstring(body)


def find_all(root, name):
    return [e for e in root.iter() if strip_ns(e.tag) == name]


def find_text(root, name, default=None):
    for e in root.iter():
        if strip_ns(e.tag) == name:
            return e.text or ""
    return default


def children_text(elem, name):
    for e in elem:
        if strip_ns(e.tag) == name:
            return e.text or ""
    return None


@dataclass
class Signer:
    """Convenience: signed raw requests against one server with one set of creds."""
    host: str
    port: int
    creds: Creds
    extra: dict = field(default_factory=dict)

    @property
    def host_header(self) -> str:
        return f"{self.host}:{self.port}"

    def request(self, method: str, path: str, query=None, headers: dict | None = None,
                body: bytes = b"", payload_hash: str | None = None,
                when: dt.datetime | None = None, creds: Creds | None = None,
                send_body: bytes | None = None, timeout: float = 60) -> Response:
        hdrs = {"Host": self.host_header}
        hdrs.update(headers or {})
        if payload_hash is None:
            payload_hash = hashlib.sha256(body).hexdigest()
        signed = sign_v4_headers(method, path, query or [], hdrs, payload_hash,
                                 creds or self.creds, when=when)
        target = path + ("?" + wire_query(query) if query else "")
        payload = body if send_body is None else send_body
        return http_request(self.host, self.port, method, target, signed.headers,
                            payload if (payload or method in ("PUT", "POST")) else None,
                            timeout=timeout)


def recv_until(sock: socket.socket, marker: bytes, limit: int = 1 << 20) -> bytes:
    data = b""
    while marker not in data and len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def read_http_response(sock: socket.socket, timeout: float = 30,
                       skip_interim: bool = True) -> tuple[int, dict, bytes]:
    """Read one final HTTP/1.1 response (Content-Length, chunked or close-delimited),
    skipping any 1xx interim responses (HTTP allows any number of them)."""
    sock.settimeout(timeout)
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"connection closed before a full response: {buf[:200]!r}")
            buf += chunk
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if skip_interim and 100 <= status < 200:
            buf = rest
            continue
        break
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(rest) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, headers, rest[:n]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while not rest.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        body = b""
        data = rest
        while True:
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            body += data[:size]
            data = data[size + 2:]
        return status, headers, body
    if status in (204, 304):
        return status, headers, b""
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        rest += chunk
    return status, headers, rest


# --------------------------------------------------------------------------
# boto3 assertions
# --------------------------------------------------------------------------

def expect_error(fn, code: str, status: int, **kwargs) -> dict:
    """Call fn(**kwargs); assert it raises botocore ClientError with code/status."""
    from botocore.exceptions import ClientError
    try:
        resp = fn(**kwargs)
    except ClientError as e:
        err = e.response
        got_code = err.get("Error", {}).get("Code")
        got_status = err.get("ResponseMetadata", {}).get("HTTPStatusCode")
        assert (got_code, got_status) == (code, status), (
            f"expected {code}/{status}, got {got_code}/{got_status}: {err}")
        return err
    raise AssertionError(f"expected {code}/{status}, call succeeded: {resp}")


def sha256_stream(body, block: int = 1 << 20) -> tuple[str, int]:
    """SHA-256 hex and length of a botocore StreamingBody without holding it in memory."""
    h = hashlib.sha256()
    n = 0
    for chunk in body.iter_chunks(block):
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n
