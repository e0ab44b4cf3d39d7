"""CORS: Put/Get/DeleteBucketCors with AWS's rule model and validation, preflight OPTIONS answered by the
first matching rule (403 when none matches), Access-Control-* and Vary on actual responses — and a real
browser (headless Chromium) uploading with presigned PUT and presigned POST from a page on another origin."""

import http.server
import json
import os
import shutil
import threading

import pytest
from botocore.exceptions import ClientError

import helpers as h
from conftest import free_port
from helpers import expect_error

ORIGIN = "http://app.example.com"

RULES = [
    {"ID": "uploads", "AllowedOrigins": ["http://*.example.com"], "AllowedMethods": ["PUT", "POST"],
     "AllowedHeaders": ["content-*", "x-amz-*"], "ExposeHeaders": ["ETag", "x-amz-version-id"], "MaxAgeSeconds": 3000},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"]},
]


def options(server, path, origin=ORIGIN, method="PUT", headers=None):
    hdrs = {}
    if origin is not None:
        hdrs["Origin"] = origin
    if method is not None:
        hdrs["Access-Control-Request-Method"] = method
    if headers:
        hdrs["Access-Control-Request-Headers"] = headers
    return h.http_request(server.host, server.port, "OPTIONS", path, hdrs)


def test_round_trip(s3, bucket):
    expect_error(s3.get_bucket_cors, "NoSuchCORSConfiguration", 404, Bucket=bucket)
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    got = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert got == RULES
    s3.delete_bucket_cors(Bucket=bucket)
    expect_error(s3.get_bucket_cors, "NoSuchCORSConfiguration", 404, Bucket=bucket)


INVALID = [
    ("unsupported method", [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}], "InvalidRequest",
     "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"),
    ("two wildcards in origin", [{"AllowedOrigins": ["http://*.*.example.com"], "AllowedMethods": ["GET"]}],
     "InvalidRequest", 'AllowedOrigin "http://*.*.example.com" can not have more than one wildcard.'),
    ("two wildcards in header", [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["x-*-*"]}],
     "InvalidRequest", 'AllowedHeader "x-*-*" can not have more than one wildcard.'),
    ("wildcard expose header", [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": ["*"]}],
     "InvalidRequest", None),
]


@pytest.mark.parametrize("name,rules,code,message", INVALID, ids=[i[0] for i in INVALID])
def test_invalid_rules_change_nothing(s3, bucket, name, rules, code, message):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    err = expect_error(s3.put_bucket_cors, code, 400, Bucket=bucket, CORSConfiguration={"CORSRules": rules})
    if message:
        assert err["Error"]["Message"] == message
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == RULES


@pytest.mark.parametrize("body", [
    b"<CORSConfiguration/>",
    b"<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
    b"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
    b"<MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>",
    b"<CORSConfiguration><CORSRule>",
])
def test_malformed_xml(s3, bucket, signer, body):
    r = signer.request("PUT", f"/{bucket}", query=[("cors", None)], body=body, headers={"Content-MD5": h.md5_b64(body)})
    assert r.status == 400 and r.error["Code"] == "MalformedXML", r
    expect_error(s3.get_bucket_cors, "NoSuchCORSConfiguration", 404, Bucket=bucket)


def test_preflight_first_matching_rule(server, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    # a key that does not exist: preflights never look at objects
    r = options(server, f"/{bucket}/uploads/new.jpg", headers="Content-Type, x-amz-date")
    assert r.status == 200, r
    assert r.header("Access-Control-Allow-Origin") == ORIGIN
    assert r.header("Access-Control-Allow-Methods") == "PUT, POST"
    assert r.header("Access-Control-Allow-Headers") == "content-type, x-amz-date"
    assert r.header("Access-Control-Expose-Headers") == "ETag, x-amz-version-id"
    assert r.header("Access-Control-Max-Age") == "3000"
    assert r.header("Access-Control-Allow-Credentials") == "true"
    assert "Origin" in r.header("Vary")
    # the wildcard rule answers GET from anywhere with `*`
    r = options(server, f"/{bucket}/x", origin="http://elsewhere.org", method="GET")
    assert r.status == 200 and r.header("Access-Control-Allow-Origin") == "*", r
    assert r.header("Access-Control-Allow-Credentials") is None


@pytest.mark.parametrize("origin,method,headers", [
    ("http://evil.org", "PUT", None),                 # origin not allowed for PUT
    (ORIGIN, "DELETE", None),                          # method not allowed
    (ORIGIN, "PUT", "authorization"),                  # header not allowed
    (ORIGIN, "put", None),                             # methods are case-sensitive
])
def test_preflight_refused(server, s3, bucket, origin, method, headers):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    r = options(server, f"/{bucket}/k", origin=origin, method=method, headers=headers)
    assert r.status == 403 and r.error["Code"] == "AccessForbidden", r
    assert r.header("Access-Control-Allow-Origin") is None


def test_preflight_without_configuration_or_headers(server, bucket):
    r = options(server, f"/{bucket}/k")
    assert r.status == 403 and r.error["Code"] == "AccessForbidden", r
    assert "CORS is not enabled" in r.error["Message"]
    r = options(server, f"/{bucket}/k", origin=None)
    assert r.status == 400 and r.error["Code"] == "BadRequest", r
    r = options(server, f"/{bucket}/k", method=None)
    assert r.status == 400, r
    r = options(server, "/no-such-bucket-here-xyz/k")
    assert r.status == 404 and r.error["Code"] == "NoSuchBucket", r


def test_actual_requests_get_cors_headers(server, s3, bucket, signer):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    r = signer.request("PUT", f"/{bucket}/put-from-browser", body=b"b", headers={"Origin": ORIGIN})
    assert r.status == 200, r
    assert r.header("Access-Control-Allow-Origin") == ORIGIN
    assert r.header("Access-Control-Expose-Headers") == "ETag, x-amz-version-id"
    assert "Origin" in r.header("Vary")
    r = signer.request("GET", f"/{bucket}/k", headers={"Origin": "http://anywhere.net"})
    assert r.status == 200 and r.header("Access-Control-Allow-Origin") == "*", r
    # no rule for DELETE: no Access-Control-Allow-Origin, but Vary still says the answer depends on Origin
    r = signer.request("DELETE", f"/{bucket}/k", headers={"Origin": ORIGIN})
    assert r.status == 204 and r.header("Access-Control-Allow-Origin") is None and "Origin" in r.header("Vary"), r
    # errors carry the headers too, so the page can read them
    r = h.http_request(server.host, server.port, "GET", f"/{bucket}/missing", {"Origin": ORIGIN})
    assert r.status == 403 and r.header("Access-Control-Allow-Origin") == "*", r
    # no Origin, no CORS headers
    r = signer.request("GET", f"/{bucket}/put-from-browser")
    assert r.header("Access-Control-Allow-Origin") is None


# ---- a real browser -----------------------------------------------------------------------------

PAGE = b"<!doctype html><html><head><title>uploader</title></head><body>another origin</body></html>"

UPLOAD_JS = """
const [kind, url, fields, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
(async () => {
  try {
    let response;
    if (kind === "put") {
      response = await fetch(url, {method: "PUT", body: "uploaded by a browser with a presigned PUT"});
    } else {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append("file", new Blob(["uploaded by a browser with a presigned POST"], {type: "text/plain"}), "hello.txt");
      response = await fetch(url, {method: "POST", body: form});
    }
    done({status: response.status, etag: response.headers.get("ETag"), body: await response.text()});
  } catch (error) {
    done({error: String(error)});
  }
})();
"""


class _PageHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_origin():
    """A second local HTTP server (another port: another origin) serving the uploader page."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _PageHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _find(*names):
    for name in names:
        path = shutil.which(name) or (name if os.path.exists(name) else None)
        if path:
            return path
    return None


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    chromium = _find("chromium", "/usr/bin/chromium", "chromium-browser")
    driver_path = _find("chromedriver", "/usr/bin/chromedriver")
    if not chromium or not driver_path:
        pytest.fail("chromium and chromium-driver are needed (scripts/install-test-deps.sh installs them)", pytrace=False)
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def test_browser_uploads_from_another_origin(server, s3, bucket, browser, page_origin):
    # SigV4 presigning, as browser apps use it (SigV2 would sign the Content-Type the browser picks).
    signer = server.client(signature_version="s3v4")
    put_url = signer.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "browser/put.txt"}, ExpiresIn=600)
    post = signer.generate_presigned_post(bucket, "browser/${filename}", Fields={"success_action_status": "201"},
                                      Conditions=[["starts-with", "$key", "browser/"], {"success_action_status": "201"},
                                                  ["content-length-range", 1, 1024]], ExpiresIn=600)
    browser.get(page_origin + "/")

    # Without CORS rules the browser refuses to hand the response to the page (and sends no PUT at all).
    refused = browser.execute_async_script(UPLOAD_JS, "put", put_url, {})
    assert "error" in refused, refused
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="browser/put.txt")

    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": [page_origin], "AllowedMethods": ["PUT", "POST", "GET"], "AllowedHeaders": ["*"],
         "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 60}]})

    put = browser.execute_async_script(UPLOAD_JS, "put", put_url, {})
    assert put.get("status") == 200, put
    assert put["etag"], put  # exposed by the rule
    assert s3.get_object(Bucket=bucket, Key="browser/put.txt")["Body"].read() == b"uploaded by a browser with a presigned PUT"

    posted = browser.execute_async_script(UPLOAD_JS, "post", post["url"], post["fields"])
    assert posted.get("status") == 201, posted
    assert "<Key>browser/hello.txt</Key>" in posted["body"], posted
    assert s3.get_object(Bucket=bucket, Key="browser/hello.txt")["Body"].read() == b"uploaded by a browser with a presigned POST"
