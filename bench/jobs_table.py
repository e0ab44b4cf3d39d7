#!/usr/bin/env python3
"""The jobs phase's table: jobs_table.py RESULTS_ENV MARKDOWN_OUT (prints text, writes Markdown)."""
import sys
from datetime import datetime, timezone


def load(path):
    values = {}
    for line in open(path):
        if "=" in line:
            key, value = line.rstrip("\n").split("=", 1)
            values[key] = value
    return values


def num(values, key):
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return None


def main():
    v = load(sys.argv[1])
    m_cpu, s_cpu, h_cpu = num(v, "job_cpu.magpie"), num(v, "job_cpu.seeds"), num(v, "job_cpu.hand")
    m_wall, s_wall, h_wall = num(v, "job_wall.magpie"), num(v, "job_wall.seeds"), num(v, "job_wall.hand")
    latency = num(v, "job_latency.magpie")

    def ratio(a, b):
        return f"{a / b:.2f}×" if a is not None and b else "n/a"

    def verdict(ok):
        return "n/a" if ok is None else ("PASS" if ok else "MISS")

    rows = [
        ["CPU seconds", f"{m_cpu:.1f}" if m_cpu else "n/a", f"{s_cpu:.1f}" if s_cpu else "n/a", f"{h_cpu:.1f}" if h_cpu else "n/a",
         ratio(m_cpu, s_cpu) + " of (a)", "≤ 0.85× (a)", verdict(None if m_cpu is None or not s_cpu else m_cpu <= 0.85 * s_cpu)],
        ["Wall seconds", f"{m_wall:.2f}" if m_wall else "n/a", f"{s_wall:.2f}" if s_wall else "n/a", f"{h_wall:.2f}" if h_wall else "n/a",
         ratio(m_wall, h_wall) + " of (b)", "≤ 1.05× (b)", verdict(None if m_wall is None or not h_wall else m_wall <= 1.05 * h_wall)],
        ["Peak RSS MiB (one ffmpeg)", v.get("job_rss.magpie", "n/a"), v.get("job_rss.seeds", "n/a"), v.get("job_rss.hand", "n/a"), "", "report", "report"],
        ["Job start latency ms (median)", f"{latency:.0f}" if latency is not None else "n/a", "—", "—", "", "< 100 ms",
         verdict(None if latency is None else latency < 100)],
    ]
    header = ["metric", "magpie job", "(a) 4 separate runs", "(b) same command by hand", "ratio", "target", "result"]
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = [f"# Media jobs: HLS ladder (4 rungs, 20 s 1080p30) — {stamp}", "",
          "| " + " | ".join(header) + " |", "|---|---:|---:|---:|---:|---|---|"]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    md += ["", "Details:", ""] + [f"- {k[5:]}: {val}" for k, val in v.items() if k.startswith("note.")]
    open(sys.argv[2], "w").write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
