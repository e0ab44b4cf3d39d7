#!/usr/bin/env python3
"""Turns the key=value results that run.sh collected into the comparison table.

  table.py RESULTS_FILE MARKDOWN_OUT

Prints a plain-text table to stdout and writes the same table as Markdown to MARKDOWN_OUT.
Exits 0; a row whose figures are missing reads "n/a" and ERROR.
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


def markdown_table(header, body):
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def main():
    values = load(sys.argv[1])
    header = ["metric", "magpie", "nginx", "ratio", "target", "result"]
    body = rows(values)
    print(text_table(header, body))

    notes = [f"- {k[len('note.'):]}: {v}" for k, v in values.items() if k.startswith("note.")]
    cpu = [cpu_row(values, key) for key, *_ in ROWS if f"cpu.{key}.magpie" in values]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"# Magpie vs nginx — {stamp}", "", markdown_table(header, body), ""]
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
    if notes:
        parts += ["Details:", "", *notes, ""]
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
