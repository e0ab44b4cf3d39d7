"""Every output type, validated with independent tools: m3u8 for playlists, ffprobe for media,
plain parsing for WebVTT and waveform JSON."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import m3u8
import pytest

from jobs_support import ffprobe_json, fetch, jobs_api, media, output, upload  # noqa: F401 (fixtures)


def rate(text: str) -> float:
    num, den = text.split("/")
    return float(num) / float(den) if float(den) else 0.0


def download_prefix(s3, bucket: str, prefix: str, into: Path) -> Path:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            target = into / item["Key"][len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(fetch(s3, bucket, item["Key"]))
    return into


def peak_bitrate(playlist_path: Path) -> float:
    """The HLS peak segment bit rate (bits/s), ignoring a last sliver shorter than 0.5 s."""
    playlist = m3u8.load(str(playlist_path))
    peaks = [(playlist_path.parent / s.uri).stat().st_size * 8 / s.duration
             for s in playlist.segments if s.duration >= 0.5 or len(playlist.segments) == 1]
    return max(peaks)


def check_media_playlist(path: Path):
    playlist = m3u8.load(str(path))
    assert playlist.is_endlist and playlist.playlist_type.lower() == "vod"
    assert playlist.segments, path
    for segment in playlist.segments:
        # RFC 8216 4.3.3.1: each EXTINF, rounded to the nearest integer, is at most the target duration.
        assert round(segment.duration) <= playlist.target_duration, (segment.uri, segment.duration, playlist.target_duration)
        assert (path.parent / segment.uri).stat().st_size > 0
    return playlist


def test_hls_ladder_1080p_in_one_run(s3, bucket, jobs_api, media, tmp_path):
    source = upload(s3, bucket, "in/hd.mp4", media.hd1080)
    job = jobs_api.run(source, f"s3://{bucket}/out/hd/", [{"type": "hls", "segmentSeconds": 2}])
    assert job["status"] == "succeeded", job
    assert job["progress"] == 100 and job["attempts"] == 1
    hls = output(job, "hls")
    assert hls["key"] == "out/hd/hls/master.m3u8"
    assert [r["name"] for r in hls["metadata"]["rungs"]] == ["1080p", "720p", "480p", "360p"]

    root = download_prefix(s3, bucket, "out/hd/hls/", tmp_path / "hls")
    master = m3u8.load(str(root / "master.m3u8"))
    assert master.is_variant
    assert [p.stream_info.resolution for p in master.playlists] == [(1920, 1080), (1280, 720), (854, 480), (640, 360)]
    audio_groups = [m for m in master.media if m.type == "AUDIO"]
    assert len(audio_groups) == 1, "one shared audio rendition"
    audio_playlist = root / audio_groups[0].uri
    check_media_playlist(audio_playlist)
    audio_peak = peak_bitrate(audio_playlist)

    source_probe = ffprobe_json(media.hd1080)
    source_height = next(s for s in source_probe["streams"] if s["codec_type"] == "video")["height"]
    for variant in master.playlists:
        info = variant.stream_info
        assert info.resolution[1] <= source_height, "no rung above the source"
        assert info.audio == audio_groups[0].group_id
        assert abs(info.frame_rate - 29.97) < 0.01
        media_path = root / variant.uri
        playlist = check_media_playlist(media_path)
        # CODECS and RESOLUTION as ffprobe sees the rendition (its init segment plus first segment).
        init = media_path.parent / playlist.segment_map[0].uri
        joined = media_path.parent / "probe.mp4"
        joined.write_bytes(init.read_bytes() + (media_path.parent / playlist.segments[0].uri).read_bytes())
        video = next(s for s in ffprobe_json(joined)["streams"] if s["codec_type"] == "video")
        assert (video["width"], video["height"]) == info.resolution
        assert video["profile"] == "High"
        assert info.codecs == f"avc1.6400{video['level']:02x},mp4a.40.2"
        assert abs(rate(video["r_frame_rate"]) - 29.97) < 0.01
        # BANDWIDTH is no lower than the measured peak of the rendition plus its audio.
        assert info.bandwidth >= peak_bitrate(media_path) + audio_peak, (variant.uri, info.bandwidth)
        assert info.average_bandwidth <= info.bandwidth

    head = s3.head_object(Bucket=bucket, Key="out/hd/hls/master.m3u8")
    assert head["ContentType"] == "application/vnd.apple.mpegurl"
    segment_key = next(k["Key"] for k in s3.list_objects_v2(Bucket=bucket, Prefix="out/hd/hls/720p/")["Contents"] if k["Key"].endswith(".m4s"))
    assert s3.head_object(Bucket=bucket, Key=segment_key)["ContentType"] == "video/iso.segment"


def test_keyframes_are_aligned_across_rungs(s3, bucket, jobs_api, media, tmp_path):
    source = upload(s3, bucket, "in/small.mp4", media.no_audio)
    job = jobs_api.run(source, f"s3://{bucket}/out/", [{"type": "hls", "rungs": [360, 240], "segmentSeconds": 1, "container": "ts"}])
    assert job["status"] == "succeeded", job
    root = download_prefix(s3, bucket, "out/hls/", tmp_path / "hls")
    master = m3u8.load(str(root / "master.m3u8"))
    assert not master.media, "no audio rendition for a silent source"
    assert [p.stream_info.resolution for p in master.playlists] == [(640, 360), (426, 240)]
    durations = []
    for variant in master.playlists:
        assert variant.stream_info.codecs.startswith("avc1.") and "mp4a" not in variant.stream_info.codecs
        playlist = check_media_playlist(root / variant.uri)
        assert all(s.uri.endswith(".ts") for s in playlist.segments)
        durations.append([round(s.duration, 2) for s in playlist.segments])
        for segment in playlist.segments:
            frames = json.loads(__import__("subprocess").run(
                ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=key_frame", "-read_intervals", "%+#1",
                 "-print_format", "json", str((root / variant.uri).parent / segment.uri)],
                check=True, capture_output=True).stdout)["frames"]
            assert frames[0]["key_frame"] == 1, "every segment starts on a keyframe"
    assert durations[0] == durations[1], "segment boundaries are the same in every rung"


def test_portrait_source_with_rotation(s3, bucket, jobs_api, media, tmp_path):
    source = upload(s3, bucket, "in/portrait.mp4", media.portrait)
    job = jobs_api.run(source, f"s3://{bucket}/out/p/", [
        {"type": "hls"}, {"type": "thumbnail", "times": ["50%"], "width": 180}, {"type": "probe"}])
    assert job["status"] == "succeeded", job
    probe = job["result"]["probe"]
    video = next(s for s in probe["streams"] if s["type"] == "video")
    assert (video["width"], video["height"]) == (640, 360) and video["rotation"] in (90, 270)
    root = download_prefix(s3, bucket, "out/p/hls/", tmp_path / "hls")
    master = m3u8.load(str(root / "master.m3u8"))
    # Display size 360x640: the short side (360) picks the rungs; nothing above it.
    assert [p.stream_info.resolution for p in master.playlists] == [(360, 640)]
    playlist = m3u8.load(str(root / master.playlists[0].uri))
    joined = tmp_path / "joined.mp4"
    base = (root / master.playlists[0].uri).parent
    joined.write_bytes((base / playlist.segment_map[0].uri).read_bytes() + (base / playlist.segments[0].uri).read_bytes())
    stream = next(s for s in ffprobe_json(joined)["streams"] if s["codec_type"] == "video")
    assert (stream["width"], stream["height"]) == (360, 640)
    assert not any("rotation" in d for d in stream.get("side_data_list", [])), "pixels are upright; no rotation left"
    thumb = tmp_path / "thumb.jpg"
    thumb.write_bytes(fetch(s3, bucket, output(job, "thumbnails")["keys"][0]))
    shot = ffprobe_json(thumb)["streams"][0]
    assert (shot["width"], shot["height"]) == (180, 320)


def test_small_source_is_never_upscaled_and_dash_shares_segments(s3, bucket, jobs_api, media, tmp_path):
    source = upload(s3, bucket, "in/240.mp4", media.small240)
    job = jobs_api.run(source, f"s3://{bucket}/out/s/", [{"type": "hls", "dash": True, "segmentSeconds": 1}])
    assert job["status"] == "succeeded", job
    root = download_prefix(s3, bucket, "out/s/hls/", tmp_path / "hls")
    master = m3u8.load(str(root / "master.m3u8"))
    assert [p.stream_info.resolution for p in master.playlists] == [(426, 240)]
    mpd = (root / "manifest.mpd").read_text()
    assert "<MPD" in mpd and 'contentType="audio"' in mpd and 'width="426" height="240"' in mpd
    for media_ref in re.findall(r'(?:media|sourceURL)="([^"]+)"', mpd):
        assert (root / media_ref).exists(), media_ref
    assert s3.head_object(Bucket=bucket, Key="out/s/hls/manifest.mpd")["ContentType"] == "application/dash+xml"


def test_stills_storyboard_preview_mp4_and_probe(s3, bucket, jobs_api, media, tmp_path):
    source = upload(s3, bucket, "in/hd.mp4", media.hd1080)
    job = jobs_api.run(source, f"s3://{bucket}/o/", [
        {"type": "probe"},
        {"type": "mp4", "maxHeight": 360},
        {"type": "thumbnail", "times": [0.5, "50%"], "width": 320, "format": "jpg"},
        {"type": "poster", "format": "webp", "height": 180},
        {"type": "storyboard", "interval": 1, "columns": 2, "width": 160},
        {"type": "preview", "start": 0.5, "duration": 1, "width": 160},
    ])
    assert job["status"] == "succeeded", job

    probe = json.loads(fetch(s3, bucket, "o/probe.json"))
    assert abs(probe["duration"] - 3) < 0.2
    video = next(s for s in probe["streams"] if s["type"] == "video")
    audio = next(s for s in probe["streams"] if s["type"] == "audio")
    assert (video["width"], video["height"], video["codec"]) == (1920, 1080, "h264")
    assert abs(video["frameRate"] - 29.97) < 0.01
    assert (audio["channels"], audio["sampleRate"]) == (2, 48000)

    mp4 = tmp_path / "v.mp4"
    mp4.write_bytes(fetch(s3, bucket, "o/video.mp4"))
    streams = ffprobe_json(mp4)["streams"]
    v = next(s for s in streams if s["codec_type"] == "video")
    assert (v["codec_name"], v["profile"], v["width"], v["height"]) == ("h264", "High", 640, 360)
    assert any(s["codec_type"] == "audio" and s["codec_name"] == "aac" for s in streams)
    data = mp4.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat"), "+faststart puts the index first"

    keys = output(job, "thumbnails")["keys"]
    assert keys == ["o/thumbnails/thumb-001.jpg", "o/thumbnails/thumb-002.jpg"]
    for key in keys:
        still = tmp_path / key.replace("/", "_")
        still.write_bytes(fetch(s3, bucket, key))
        s = ffprobe_json(still)["streams"][0]
        assert (s["codec_name"], s["width"], s["height"]) == ("mjpeg", 320, 180)
    poster = tmp_path / "poster.webp"
    poster.write_bytes(fetch(s3, bucket, "o/poster.webp"))
    assert poster.read_bytes()[:4] == b"RIFF" and poster.read_bytes()[8:12] == b"WEBP"
    assert s3.head_object(Bucket=bucket, Key="o/poster.webp")["ContentType"] == "image/webp"

    vtt = fetch(s3, bucket, "o/storyboard/storyboard.vtt").decode()
    sprite = tmp_path / "sprite.jpg"
    sprite.write_bytes(fetch(s3, bucket, "o/storyboard/sprite.jpg"))
    sheet = ffprobe_json(sprite)["streams"][0]
    assert vtt.startswith("WEBVTT\n")
    cues = re.findall(r"(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)", vtt)
    assert len(cues) == 3
    previous_end = "00:00:00.000"
    for start, end, image, x, y, w, h in cues:
        assert image == "sprite.jpg" and start == previous_end and start < end
        previous_end = end
        assert (int(w), int(h)) == (160, 90)
        assert int(x) + int(w) <= sheet["width"] and int(y) + int(h) <= sheet["height"]
    assert (sheet["width"], sheet["height"]) == (320, 180)
    assert s3.head_object(Bucket=bucket, Key="o/storyboard/storyboard.vtt")["ContentType"].startswith("text/vtt")

    webp = fetch(s3, bucket, "o/preview.webp")
    assert webp[:4] == b"RIFF" and b"ANIM" in webp[:64], "an animated WebP"
    clip = tmp_path / "preview.mp4"
    clip.write_bytes(fetch(s3, bucket, "o/preview.mp4"))
    info = ffprobe_json(clip)
    assert [s["codec_type"] for s in info["streams"]] == ["video"]
    assert info["streams"][0]["width"] == 160
    assert abs(float(info["format"]["duration"]) - 1) < 0.3


def test_audio_transcodes_loudness_and_waveform(s3, bucket, jobs_api, media, tmp_path):
    source = upload(s3, bucket, "in/tone.wav", media.audio_only, content_type="audio/wav")
    job = jobs_api.run(source, f"s3://{bucket}/a/", [
        {"type": "audio", "format": "mp3", "name": "song", "bitrateKbps": 96},
        {"type": "audio", "format": "aac", "name": "song-aac", "channels": 1},
        {"type": "audio", "format": "opus", "name": "song-opus"},
        {"type": "audio", "format": "vorbis", "name": "song-norm", "loudnorm": True},
        {"type": "waveform", "samplesPerPixel": 441},
    ])
    assert job["status"] == "succeeded", job
    expected = {"a/song.mp3": ("mp3", 44100), "a/song-aac.m4a": ("aac", 44100), "a/song-opus.opus": ("opus", 48000),
                "a/song-norm.ogg": ("vorbis", 44100)}
    for key, (codec, sample_rate) in expected.items():
        path = tmp_path / key.replace("/", "_")
        path.write_bytes(fetch(s3, bucket, key))
        stream = ffprobe_json(path)["streams"][0]
        assert stream["codec_name"] == codec, key
        assert int(stream["sample_rate"]) == sample_rate, key
    assert ffprobe_json(tmp_path / "a_song-aac.m4a")["streams"][0]["channels"] == 1
    assert s3.head_object(Bucket=bucket, Key="a/song.mp3")["ContentType"] == "audio/mpeg"

    # The normalised file measures close to the −16 LUFS target (a second, independent measurement).
    measured = __import__("subprocess").run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(tmp_path / "a_song-norm.ogg"), "-af", "loudnorm=print_format=json", "-f", "null", "-"],
        capture_output=True, text=True, check=True).stderr
    loudness = float(json.loads(measured[measured.rindex("{"):measured.rindex("}") + 1])["input_i"])
    assert abs(loudness - (-16)) < 3, loudness

    wave = json.loads(fetch(s3, bucket, "a/waveform.json"))
    assert {k: wave[k] for k in ("version", "channels", "sample_rate", "samples_per_pixel", "bits")} == \
        {"version": 2, "channels": 1, "sample_rate": 44100, "samples_per_pixel": 441, "bits": 8}
    assert wave["length"] == math.ceil(3 * 44100 / 441) and len(wave["data"]) == 2 * wave["length"]
    assert all(-128 <= v <= 127 for v in wave["data"])
    pairs = list(zip(wave["data"][0::2], wave["data"][1::2]))
    assert all(low <= high for low, high in pairs)
    quiet, loud = pairs[10], pairs[-10]
    assert loud[1] - loud[0] > quiet[1] - quiet[0], "the louder half draws taller peaks"
