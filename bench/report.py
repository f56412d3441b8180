"""The Markdown report: one goals table, the search-scaling table, and 1M extrapolation."""

from __future__ import annotations

import math
from typing import Any

from bench import botload, coldstart, concurrency, ingest_tp, latency

GOAL_SCALE_P50_MS = 50.0


def extrapolate(rows: list[dict[str, Any]], key: str, target: int = 1_000_000) -> float | None:
    """Power-law fit through the two largest reached sizes (log-log), evaluated at ``target``."""
    reached = [r for r in rows if r.get("reached")]
    if len(reached) < 2 or reached[-1]["size"] >= target:
        return None
    a, b = reached[-2], reached[-1]
    ya, yb = a[key]["p50"], b[key]["p50"]
    if ya <= 0 or yb <= 0:
        return None
    slope = max(0.0, math.log(yb / ya) / math.log(b["size"] / a["size"]))
    return round(yb * (target / b["size"]) ** slope, 1)


def scaling_extrapolation(res: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("embedded", "server"):
        for key in ("query_ms", "query_lang_filter_ms"):
            value = extrapolate(res.get(kind, []), key)
            if value is not None:
                out[f"{kind}_{key}_p50_at_1m"] = value
        reached = [r for r in res.get(kind, []) if r.get("reached")]
        if reached and reached[-1]["size"] < 1_000_000:
            last = reached[-1]
            out[f"{kind}_insert_s_for_1m_at_last_rate"] = round(
                1_000_000 / max(last["insert_rate_per_s"], 1), 0
            )
            out[f"{kind}_disk_mb_at_1m_linear"] = round(last["disk_mb"] * 1_000_000 / last["size"], 0)
            out[f"{kind}_rss_mb_at_1m_linear"] = round(last["rss_delta_mb"] * 1_000_000 / last["size"], 0)
    value = extrapolate(res.get("lexical", []), "query_ms")
    if value is not None:
        out["lexical_query_ms_p50_at_1m"] = value
    return out


def _scaling_rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    out = []
    for kind in ("embedded", "server"):
        for row in res.get(kind, []):
            if not row.get("reached"):
                out.append(
                    (
                        f"dense {kind} @{row['size']:,}",
                        f"not reached (projected insert {row['projected_insert_s']:.0f} s)",
                        "",
                        "",
                    )
                )
                continue
            q, f = row["query_ms"], row["query_lang_filter_ms"]
            ok = q["p50"] < GOAL_SCALE_P50_MS and f["p50"] < GOAL_SCALE_P50_MS
            out.append(
                (
                    f"dense {kind} @{row['size']:,}: p50/p95 ms (lang filter), RSS, disk",
                    f"{q['p50']}/{q['p95']} ({f['p50']}/{f['p95']}), {row['rss_delta_mb']} MB, "
                    f"{row['disk_mb']} MB",
                    "",
                    "" if ok else "over 50 ms",
                )
            )
    for row in res.get("lexical", []):
        if row.get("reached"):
            q = row["query_ms"]
            out.append(
                (
                    f"lexical bm25s @{row['size']:,}: p50/p95 ms, RSS, disk",
                    f"{q['p50']}/{q['p95']}, {row['rss_delta_mb']} MB, {row['disk_mb']} MB",
                    "",
                    "",
                )
            )
    ext = res.get("extrapolated", {})
    for key, value in ext.items():
        if "p50_at_1m" in key:
            status = "met (extrapolated)" if value < GOAL_SCALE_P50_MS else "MISSED (extrapolated)"
            out.append(
                (
                    f"1M {key.removesuffix('_p50_at_1m')} p50 (ms, extrapolated)",
                    str(value),
                    "p50 < 50 ms at 1M",
                    status,
                )
            )
    for kind in ("embedded", "server"):
        row = next((r for r in res.get(kind, []) if r.get("size") == 1_000_000 and r.get("reached")), None)
        if row:
            ok = row["query_ms"]["p50"] < GOAL_SCALE_P50_MS and row["query_lang_filter_ms"]["p50"] < 50
            out.append(
                (
                    f"1M {kind} p50 measured (ms)",
                    f"{row['query_ms']['p50']} / {row['query_lang_filter_ms']['p50']} (lang)",
                    "p50 < 50 ms",
                    "met" if ok else "MISSED",
                )
            )
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    head = (
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; load average at start "
        f"{m['load_average']}, at end {m.get('load_average_end')}; {m['date']}"
        f"{' (quick)' if results.get('quick') else ''}"
    )
    rows: list[tuple[str, str, str, str]] = []
    if "latency" in results:
        rows += latency.rows(results["latency"])
    if "latency_omp_passive" in results:
        rows += latency.rows(results["latency_omp_passive"])
    if "concurrency" in results:
        rows += concurrency.rows(results["concurrency"])
    if "cold" in results:
        rows += coldstart.rows(results["cold"], results.get("bot"))
    if "ingest" in results:
        rows += ingest_tp.rows(results["ingest"])
    if "scaling" in results:
        results["scaling"].setdefault("extrapolated", scaling_extrapolation(results["scaling"]))
        rows += _scaling_rows(results["scaling"])
    for key in ("bot", "bot_batching_off"):
        if key in results and (results[key].get("bursts") or results[key].get("lone")):
            rows += botload.rows(results[key])
    lines = [head, "", "| Metric | Value | Goal | Status |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    for name, error in results.get("errors", {}).items():
        lines.append(f"\nSection {name} failed: {error}")
    return "\n".join(lines)
