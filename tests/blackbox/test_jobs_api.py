"""The job API: SigV4 with Magpie keys (curl --aws-sigv4 and botocore), submit/get/list/cancel,
Server-Sent Events, bucket rules that queue jobs on upload, and the magpie CLI."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import requests

from jobs_support import JobsAPI, jobs_api, media, upload  # noqa: F401 (fixtures)


def test_the_api_requires_a_signature(server, jobs_api):
    r = jobs_api.call("GET", "/-/api/v1/jobs", signed=False)
    assert r.status_code == 403 and r.json()["code"] == "AccessDenied"
    wrong = JobsAPI(server.endpoint, server.access_key, "not-the-secret")
    r = wrong.call("GET", "/-/api/v1/jobs")
    assert r.status_code == 403 and r.json()["code"] == "SignatureDoesNotMatch"


def test_curl_aws_sigv4_submits_and_reads_a_job(server, s3, bucket, media, jobs_api):
    curl = shutil.which("curl")
    assert curl, "curl is installed by scripts/install-test-deps.sh"
    source = upload(s3, bucket, "clip.mp4", media.small240)
    body = json.dumps({"source": source, "destination": f"s3://{bucket}/out/", "outputs": [{"type": "probe"}]})
    auth = ["--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{server.access_key}:{server.secret_key}"]
    out = subprocess.run([curl, "-sS", *auth, "-X", "POST", "-H", "content-type: application/json", "-d", body,
                          "-w", "\n%{http_code}", server.endpoint + "/-/api/v1/jobs"], capture_output=True, text=True, check=True).stdout
    text, status = out.rsplit("\n", 1)
    assert status == "202", out
    job = json.loads(text)
    assert job["status"] == "queued" and job["source"] == source and job["id"].startswith("job_")
    done = jobs_api.wait(job["id"])
    assert done["status"] == "succeeded", done
    got = subprocess.run([curl, "-sS", "-f", *auth, f"{server.endpoint}/-/api/v1/jobs/{job['id']}"], capture_output=True, text=True, check=True)
    assert json.loads(got.stdout)["result"]["probe"]["duration"] > 1.5


def test_bad_requests_get_clear_errors(s3, bucket, jobs_api, media):
    r = jobs_api.call("POST", "/-/api/v1/jobs", raw=b"{not json")
    assert r.status_code == 400 and r.json()["code"] == "InvalidJobSpec"
    r = jobs_api.call("POST", "/-/api/v1/jobs", {"source": f"s3://{bucket}/x.mp4", "destination": f"s3://{bucket}/o/", "outputs": [{"type": "gif"}]})
    assert r.status_code == 400 and "Unknown output type" in r.json()["message"]
    r = jobs_api.call("POST", "/-/api/v1/jobs", {"source": f"s3://{bucket}/missing.mp4", "destination": f"s3://{bucket}/o/", "outputs": [{"type": "probe"}]})
    assert r.status_code == 404 and r.json()["code"] == "SourceNotFound"
    source = upload(s3, bucket, "c.mp4", media.small240)
    r = jobs_api.call("POST", "/-/api/v1/jobs", {"source": source, "destination": "s3://no-such-bucket-here/o/", "outputs": [{"type": "probe"}]})
    assert r.status_code == 400 and "destination" in r.json()["message"]
    assert jobs_api.call("GET", "/-/api/v1/jobs/job_doesnotexist").status_code == 404
    assert jobs_api.call("GET", "/-/api/v1/jobs", query={"status": "sleeping"}).status_code == 400
    assert jobs_api.call("GET", "/-/api/v1/jobs", query={"limit": "0"}).status_code == 400


def test_list_filters_by_status_and_limits(s3, bucket, jobs_api, media):
    source = upload(s3, bucket, "c.mp4", media.small240)
    ids = [jobs_api.submit(source, f"s3://{bucket}/o{i}/", [{"type": "probe"}])["id"] for i in range(3)]
    for job_id in ids:
        assert jobs_api.wait(job_id)["status"] == "succeeded"
    r = jobs_api.call("GET", "/-/api/v1/jobs", query={"status": "succeeded", "limit": "2"})
    assert r.status_code == 200
    listed = r.json()["jobs"]
    assert len(listed) == 2 and all(j["status"] == "succeeded" for j in listed)
    everything = jobs_api.call("GET", "/-/api/v1/jobs", query={"limit": "1000"}).json()["jobs"]
    assert set(ids) <= {j["id"] for j in everything}
    created = [j["createdAt"] for j in everything]
    assert created == sorted(created, reverse=True), "newest first"


def test_jobs_belong_to_their_submitter(server, s3, bucket, jobs_api, media, magpie_cli):
    source = upload(s3, bucket, "c.mp4", media.small240)
    job = jobs_api.submit(source, f"s3://{bucket}/o/", [{"type": "probe"}])
    name = "jobs-user-" + job["id"][-6:]
    magpie_cli("admin", "user", "create", name)
    key = json.loads(magpie_cli("admin", "key", "create", "--user", name).stdout)
    other = JobsAPI(server.endpoint, key["accessKey"], key["secretKey"])
    assert other.call("GET", f"/-/api/v1/jobs/{job['id']}").status_code == 404
    assert job["id"] not in {j["id"] for j in other.call("GET", "/-/api/v1/jobs").json()["jobs"]}
    r = other.call("POST", "/-/api/v1/jobs", {"source": source, "destination": f"s3://{bucket}/x/", "outputs": [{"type": "probe"}]})
    assert r.status_code == 404, "another user's object is not a source"
    jobs_api.wait(job["id"])


def test_events_stream_progress_and_the_final_state(s3, bucket, jobs_api, media):
    source = upload(s3, bucket, "hd.mp4", media.small240)
    job = jobs_api.submit(source, f"s3://{bucket}/ev/", [{"type": "hls", "segmentSeconds": 1}, {"type": "mp4"}])
    r = jobs_api.call("GET", f"/-/api/v1/jobs/{job['id']}/events", stream=True, timeout=300)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/event-stream"
    events = []
    name = None
    for line in r.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            events.append((name, json.loads(line[6:])))
    statuses = [data["status"] for kind, data in events if kind == "status"]
    assert statuses[-1] == "succeeded" and statuses[0] in ("queued", "running")
    progress = [data["progress"] for _, data in events]
    assert progress == sorted(progress) and progress[-1] == 100
    assert events[-1][1]["result"]["outputs"][0]["key"] == "ev/hls/master.m3u8"


def test_cancel_a_queued_job(s3, bucket, jobs_api, media):
    source = upload(s3, bucket, "long.mp4", media.long_clip)
    # Two video jobs: with one video worker the second waits in the queue and is canceled there.
    first = jobs_api.submit(source, f"s3://{bucket}/a/", [{"type": "mp4"}])
    second = jobs_api.submit(source, f"s3://{bucket}/b/", [{"type": "mp4"}])
    r = jobs_api.call("POST", f"/-/api/v1/jobs/{second['id']}/cancel")
    assert r.status_code == 200 and r.json()["status"] in ("canceled", "running")
    assert jobs_api.wait(second["id"])["status"] == "canceled"
    assert jobs_api.call("POST", f"/-/api/v1/jobs/{first['id']}/cancel").status_code == 200
    assert jobs_api.wait(first["id"])["status"] == "canceled"


def test_rules_queue_jobs_for_matching_uploads(s3, bucket, jobs_api, media):
    rules = {"rules": [{"id": "videos", "prefix": "uploads/", "contentTypes": ["video/*"],
                        "outputs": [{"type": "poster", "width": 160}], "destination": f"s3://{bucket}/derived/{{stem}}/"}]}
    r = jobs_api.call("PUT", f"/-/api/v1/buckets/{bucket}/rules", rules)
    assert r.status_code == 200, r.text
    assert jobs_api.call("GET", f"/-/api/v1/buckets/{bucket}/rules").json()["rules"][0]["id"] == "videos"
    bad = jobs_api.call("PUT", f"/-/api/v1/buckets/{bucket}/rules", {"rules": [{"id": "x", "outputs": [{"type": "nope"}]}]})
    assert bad.status_code == 400

    upload(s3, bucket, "uploads/trip.mp4", media.small240)                    # matches
    upload(s3, bucket, "elsewhere/trip.mp4", media.small240)                  # wrong prefix
    upload(s3, bucket, "uploads/notes.txt", media.text, content_type="text/plain")  # wrong type
    s3.upload_file(str(media.small240), bucket, "uploads/multi.mp4", ExtraArgs={"ContentType": "video/mp4"})
    jobs = [j for j in jobs_api.call("GET", "/-/api/v1/jobs", query={"limit": "1000"}).json()["jobs"] if j["source"].startswith(f"s3://{bucket}/")]
    assert sorted(j["source"] for j in jobs) == [f"s3://{bucket}/uploads/multi.mp4", f"s3://{bucket}/uploads/trip.mp4"]
    for job in jobs:
        assert job["rule"] == "videos"
        assert jobs_api.wait(job["id"])["status"] == "succeeded"
    assert s3.head_object(Bucket=bucket, Key="derived/uploads/trip/poster.jpg")["ContentType"] == "image/jpeg"
    # Outputs the job wrote did not trigger the rule again.
    assert len([j for j in jobs_api.call("GET", "/-/api/v1/jobs", query={"limit": "1000"}).json()["jobs"] if j["source"].startswith(f"s3://{bucket}/")]) == 2

    assert jobs_api.call("DELETE", f"/-/api/v1/buckets/{bucket}/rules").status_code == 204
    assert jobs_api.call("GET", f"/-/api/v1/buckets/{bucket}/rules").status_code == 404


def test_cli_submit_watch_get_list_cancel_and_rules(s3, bucket, media, magpie_cli, tmp_path):
    upload(s3, bucket, "cli/clip.mp4", media.small240)
    p = magpie_cli("jobs", "submit", "--source", f"s3://{bucket}/cli/clip.mp4", "--output", "probe", "--output", "thumbnail", "--watch", timeout=300)
    job = json.loads(p.stdout)
    assert job["destination"] == f"s3://{bucket}/cli/clip/"
    assert b"100% succeeded" in p.stderr
    got = json.loads(magpie_cli("jobs", "get", job["id"]).stdout)
    assert got["status"] == "succeeded" and got["result"]["outputs"][1]["keys"] == [f"cli/clip/thumbnails/thumb-001.jpg"]
    listed = json.loads(magpie_cli("jobs", "list", "--status", "succeeded", "--limit", "5").stdout)["jobs"]
    assert 1 <= len(listed) <= 5
    watched = magpie_cli("jobs", "watch", job["id"], "--quiet")
    assert json.loads(watched.stdout)["id"] == job["id"]
    canceled = json.loads(magpie_cli("jobs", "cancel", job["id"]).stdout)
    assert canceled["status"] == "succeeded", "a finished job stays finished"

    spec = tmp_path / "rules.json"
    spec.write_text(json.dumps({"rules": [{"id": "audio", "prefix": "music/", "contentTypes": ["audio/*"],
                                           "outputs": [{"type": "waveform"}]}]}))
    magpie_cli("rules", "set", bucket, str(spec))
    assert json.loads(magpie_cli("rules", "get", bucket).stdout)["rules"][0]["id"] == "audio"
    failed = magpie_cli("jobs", "get", "job_nope", check=False)
    assert failed.returncode != 0 and b"NoSuchJob" in failed.stderr
