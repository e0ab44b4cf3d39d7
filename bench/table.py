#!/usr/bin/env python3
"""Turns the key=value results that run.sh collected into the comparison table.

  table.py RESULTS_FILE MARKDOWN_OUT

Prints a plain-text table to stdout and writes the same table as Markdown to MARKDOWN_OUT.
Exits 0; a row whose figures are missing reads "n/a" and ERROR. The Magpie-vs-nginx rows appear when their
results do, and so do the image rows of phase 6 (keys img.*, from bench/images.py), so the same script
prints the table of `python3 bench/images.py` run alone.
"""
import sys
from datetime import datetime, timezone

# key, label, unit, how the target reads, check(magpie, nginx, ratio) -> bool
ROWS = [
    ("large_get", "Large GET, 64 MiB", "MB/s", "≥ 0.9× nginx", lambda m, n, r: r >= 0.9),
    ("large_put", "Large PUT, 64 MiB", "MB/s", "≥ 0.8× nginx", lambda m, n, r: r >= 0.8),
    ("small_get", "Small GET, 4 KiB (wrk -t2 -c32)", "req/s", "≥ 0.5× nginx", lambda m, n, r: r >= 0.5),
    ("rss_put", "Peak RSS during a {rss_size} PUT", "MiB", "magpie < 100 MiB", lambda m, n, r: m < 100),
    # Phase 5 (multipart). check None: reported, no target ("report"). The nginx column of the two
    # throughput rows is nginx's WebDAV PUT of the same file; mp_speedup is multipart ÷ single PUT (magpie).
    ("mp_multipart", "Multipart upload, {mp_size}, {mp_parts} (boto3)", "MB/s", "report (vs nginx PUT)", None),
    ("mp_single", "Single PUT, {mp_size} (curl -T)", "MB/s", "report (vs nginx PUT)", None),
    ("mp_speedup", "Multipart ÷ single PUT, {mp_size} (magpie)", "×", "report", None),
    ("mp_rss", "Peak RSS during the {mp_size} multipart upload", "MiB", "magpie < 100 MiB", lambda m, n, r: m < 100),
]
MAGPIE_ONLY = {"rss_put", "mp_rss"}  # rows that are fine without an nginx figure

# Phase 8 (encryption): Magpie against itself — the first column is the SSE-S3 object, the second the
# same bytes unencrypted; key, label, unit, target, least encrypted ÷ unencrypted (None: reported).
ENCRYPTION_ROWS = [
    ("enc_get", "Encrypted GET, 64 MiB, SSE-S3 ÷ unencrypted", "MB/s", "≥ 0.7× unencrypted", 0.7),
    ("enc_range", "1 MiB range GET, SSE-S3 vs unencrypted", "ms", "report", None),
]


def load(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key] = value
    return values


def number(values, key):
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return None


def fmt(x):
    if x is None:
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def rows(values):
    out = []
    names = {"rss_size": values.get("rss_size", "2 GiB"), "mp_size": values.get("mp_size", "1 GiB"),
             "mp_parts": values.get("mp_parts", "8 parallel 16 MiB parts")}
    for key, label, unit, target, check in ROWS:
        if key.startswith("mp_") and not any(k.startswith("mp_") for k in values):
            continue  # results from before phase 5 existed
        label = label.format(**names)
        if key == "mp_speedup":
            m, n = number(values, "mp_multipart.magpie"), number(values, "mp_single.magpie")
            ratio = m / n if m is not None and n else None
            out.append([f"{label} ({unit})", "—", "—", "n/a" if ratio is None else f"{ratio:.2f}×", target,
                        "ERROR" if ratio is None else "report"])
            continue
        m, n = number(values, f"{key}.magpie"), number(values, f"{key}.nginx")
        ratio = m / n if m is not None and n else None
        if m is None or (ratio is None and key not in MAGPIE_ONLY):
            verdict = "ERROR"
        elif check is None:
            verdict = "report"
        else:
            verdict = "PASS" if check(m, n, ratio) else "MISS"
        n_cell = "—" if n is None and key == "mp_rss" else fmt(n)
        out.append([f"{label} ({unit})", fmt(m), n_cell, "n/a" if ratio is None else f"{ratio:.2f}×", target, verdict])
    for key, label, unit, target, least in ENCRYPTION_ROWS:
        e, p = number(values, f"{key}.sse_s3"), number(values, f"{key}.plain")
        if e is None and p is None:
            continue  # results from before phase 8 existed
        ratio = e / p if e is not None and p else None
        verdict = "ERROR" if ratio is None else ("report" if least is None else ("PASS" if ratio >= least else "MISS"))
        out.append([f"{label} ({unit}; 2nd column: unencrypted, magpie)", fmt(e), fmt(p),
                    "n/a" if ratio is None else f"{ratio:.2f}×", target, verdict])
    return out


def per_op(seconds, count):
    if seconds is None or not count:
        return "n/a"
    each = seconds / count
    return f"{each * 1e3:.1f} ms" if each >= 1e-3 else f"{each * 1e6:.0f} µs"


def cpu_row(values, key):
    cells = [key]
    per = []
    for server in ("magpie", "nginx"):
        seconds = number(values, f"cpu.{key}.{server}")
        count = number(values, f"ops.{key}.{server}") or number(values, f"ops.{key}")
        cells.append(fmt(seconds))
        per.append(per_op(seconds, count))
    return "| " + " | ".join(cells + per) + " |"


def text_table(header, body):
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in body])


def markdown_table(header, body, align="|---|---:|---:|---:|---|---|"):
    lines = ["| " + " | ".join(header) + " |", align]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


# --- phase 6: images (bench/images.py) -------------------------------------------------------------
# name, label; the least magpie ÷ thumbor the issue asks for (None: thumbor reported only)
IMAGE_OPS = [
    ("fit", "300×200 fit, JPEG", None),
    ("fill", "300×200 fill (centre), JPEG", 4.0),
    ("smart", "300×200 smart crop, JPEG", 10.0),
    ("webp", "300×200 fit, WebP", None),
    ("avif", "300×200 fit, AVIF", None),
]
CEILING_SHARE = 0.9  # uncached magpie ≥ 0.9× the in-process ceiling
CACHED_CPU_US = 500  # "well under a millisecond of CPU" per cached hit


def has_images(values):
    return any(k.startswith("img.") for k in values)


def pair(values, key):
    p50, p99 = values.get(f"{key}.p50"), values.get(f"{key}.p99")
    return "n/a" if p50 is None or p99 is None else f"{p50} / {p99}"


def image_rows(values):
    """Rows of the uncached table, and the rows of the CPU-per-image table."""
    concurrencies = values.get("img_concurrency", "2 8").split()
    body, cpu = [], []
    for name, label, least in IMAGE_OPS:
        for c in concurrencies:
            key = f"img.{name}.c{c}"
            if not any(k.startswith(key + ".") or k == key for k in values):
                continue
            m, t, ceil = (number(values, f"{key}.{s}") for s in ("magpie", "thumbor", "ceiling"))
            vs_ceil = m / ceil if m is not None and ceil else None
            vs_thumbor = m / t if m is not None and t else None
            threads = values.get(f"{key}.ceiling.threads", "?")
            target = f"≥ {CEILING_SHARE}× ceiling" + (f", ≥ {least:g}× thumbor" if least else "")
            errors = [s for s in ("magpie", "ceiling") if f"{key}.{s}.error" in values]
            if m is None or ceil is None or errors or (least and vs_thumbor is None):
                verdict = "ERROR" + (f" ({', '.join(errors)})" if errors else "")
            else:
                missed = [] if vs_ceil >= CEILING_SHARE else ["ceiling"]
                missed += [] if not least or vs_thumbor >= least else ["thumbor"]
                verdict = "PASS" if not missed else f"MISS ({', '.join(missed)})"
            t_cell = fmt(t) if t is not None else ("error" if f"{key}.thumbor.error" in values
                                                   or f"img.{name}.thumbor.error" in values else "n/a")
            body.append([label, c, fmt(m), t_cell, f"{fmt(ceil)} ({threads}t)",
                         "n/a" if vs_ceil is None else f"{vs_ceil:.2f}×",
                         "n/a" if vs_thumbor is None else f"{vs_thumbor:.1f}×",
                         pair(values, f"{key}.magpie"), pair(values, f"{key}.thumbor"), target, verdict])
            cpu.append([label, c, values.get(f"{key}.magpie.cpu_ms", "n/a"), values.get(f"{key}.thumbor.cpu_ms", "n/a"),
                        values.get(f"img.{name}.magpie.bytes", "n/a"), values.get(f"img.{name}.thumbor.bytes", "n/a")])
    return body, cpu


def cached_rows(values):
    body = []
    for c in values.get("img_concurrency", "2 8").split():
        key = f"img.cached.c{c}.magpie"
        if not any(k.startswith(key) for k in values):
            continue
        rps, cpu_us = number(values, key), number(values, f"{key}.cpu_us")
        if rps is None or cpu_us is None or f"{key}.error" in values or "img.cached.error" in values:
            verdict = "ERROR"
        else:
            verdict = "PASS" if cpu_us < CACHED_CPU_US else "MISS"
        body.append(["cached hit, 300×200 fit JPEG", c, fmt(rps), pair(values, key),
                     "n/a" if cpu_us is None else f"{cpu_us:.0f} µs", f"CPU per hit < {CACHED_CPU_US} µs", verdict])
    return body


IMAGE_HEADER = ["image, uncached", "conc.", "magpie req/s", "thumbor req/s", "ceiling req/s", "magpie÷ceiling",
                "magpie÷thumbor", "magpie p50/p99 ms", "thumbor p50/p99 ms", "target", "result"]
CACHED_HEADER = ["image, cached", "conc.", "magpie req/s", "p50/p99 ms", "magpie CPU per hit", "target", "result"]
CPU_HEADER = ["image, uncached", "conc.", "magpie CPU ms per image", "thumbor CPU ms per image", "magpie bytes",
              "thumbor bytes"]


def image_markdown(values):
    body, cpu = image_rows(values)
    cached = cached_rows(values)
    seconds = values.get("img_seconds", "?")
    parts = [f"## Images: Magpie vs thumbor vs the in-process libvips ceiling ({seconds} s runs)", ""]
    if body:
        parts += [markdown_table(IMAGE_HEADER, body, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"), ""]
    if cached:
        parts += [markdown_table(CACHED_HEADER, cached, "|---|---:|---:|---:|---:|---|---|"), ""]
    if cpu:
        parts += ["Server CPU time (user + system, all of the server's processes) per completed request during the",
                  "uncached runs, and the size of one result:", "",
                  markdown_table(CPU_HEADER, cpu, "|---|---:|---:|---:|---:|---:|"), ""]
    errors = [f"- {k}: {v}" for k, v in values.items() if k.startswith("img.") and k.endswith(".error")]
    if errors:
        parts += ["Errors:", "", *errors, ""]
    return parts


def main():
    values = load(sys.argv[1])
    header = ["metric", "magpie", "nginx", "ratio", "target", "result"]
    s3 = any(k.endswith(".nginx") for k in values) or not has_images(values)
    body = rows(values) if s3 else []
    if s3:
        print(text_table(header, body))
    if has_images(values):
        image_body, _ = image_rows(values)
        cached = cached_rows(values)
        for table_header, table_body in ((IMAGE_HEADER, image_body), (CACHED_HEADER, cached)):
            if table_body:
                print()
                print(text_table(table_header, table_body))

    notes = [f"- {k[len('note.'):]}: {v}" for k, v in values.items() if k.startswith("note.")]
    cpu = [cpu_row(values, key) for key, *_ in ROWS if f"cpu.{key}.magpie" in values]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    title = "Magpie vs nginx" if s3 else "Magpie images"
    parts = [f"# {title} — {stamp}", ""]
    if s3:
        parts += [markdown_table(header, body), ""]
    if cpu:
        parts += [
            "Server CPU time (user + system, all of the server's processes) during each measurement, in total and",
            "per request (per 64 MiB transfer for the large rows, warm-up included; per 1 GiB upload for the mp rows):",
            "",
            "| phase | magpie CPU s | nginx CPU s | magpie per request | nginx per request |",
            "|---|---:|---:|---:|---:|",
            *cpu,
            "",
        ]
    if has_images(values):
        parts += image_markdown(values)
    if notes:
        parts += ["Details:", "", *notes, ""]
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
