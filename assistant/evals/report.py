"""Eval reports: report.json, report.md (failures first), JUnit XML, and the stdout gate table."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError
from assistant.evals.metrics import QuestionResult
from assistant.evals.thresholds import Check

if TYPE_CHECKING:
    from assistant.evals.runner import DatasetResult, EvalResult

TAG_METRICS = (
    "questions",
    "hit_at_5",
    "fact_recall",
    "citation_recall",
    "citation_precision",
    "abstention_recall",
    "false_abstention_rate",
)
Deltas = dict[str, dict[str, float]]


def load_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"baseline report {path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"baseline report {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("datasets"), dict):
        raise ConfigError(f"baseline {path} is not a report.json written by `assistant eval`")
    data["path"] = str(path)
    return data


def deltas(current: Mapping[str, Mapping[str, float | None]], baseline: dict[str, Any]) -> Deltas:
    """Current minus baseline metric values, by dataset, where both have a value."""
    found: Deltas = {}
    for name, metrics in current.items():
        before = baseline["datasets"].get(name, {}).get("metrics", {})
        found[name] = {
            metric: value - before[metric]
            for metric, value in metrics.items()
            if value is not None and isinstance(before.get(metric), int | float)
        }
    return found


def _current(result: EvalResult) -> dict[str, dict[str, float | None]]:
    return {d.name: d.metrics for d in result.datasets}


def _fmt(value: float | None, metric: str = "") -> str:
    if value is None:
        return "n/a"
    if metric == "questions":
        return str(int(value))
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def _delta(value: float | None, metric: str) -> str:
    if value is None:
        return ""
    return f"{value:+.0f}" if metric.endswith("_ms") else f"{value:+.3f}"


def to_json(result: EvalResult, baseline: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "started": result.started,
        "seconds": round(result.seconds, 1),
        "mode": result.mode,
        "judge": result.judge,
        "passed": result.passed,
        "judge_agreement": result.judge_agreement.to_dict(),
        "datasets": {
            d.name: {
                "path": str(d.path),
                "corpus": str(d.corpus),
                "ingest": d.ingest,
                "seconds": d.seconds,
                "passed": d.passed,
                "metrics": d.metrics,
                "thresholds": [c.to_dict() for c in d.checks],
                "targets": [c.to_dict() for c in d.targets],
                "by_tag": d.by_tag,
                "textbook": d.textbook.to_dict() if d.textbook else None,
                "results": [r.to_dict() for r in d.results],
            }
            for d in result.datasets
        },
    }
    if baseline is not None:
        data["baseline"] = {"path": baseline["path"], "deltas": deltas(_current(result), baseline)}
    return data


def _failure_md(r: QuestionResult) -> list[str]:
    lines = [f"#### {r.id}: {r.question}", ""]
    lines += [f"- why: {reason}" for reason in r.failures]
    lines.append(f"- answer: {r.answer}")
    for c in r.citations:
        lines.append(f"  - [{c['marker']}] {c['file']} {c['span'][0]}-{c['span'][1]}: “{c['text']}”")
    return [*lines, ""]


def _metrics_md(d: DatasetResult, delta: dict[str, float] | None) -> list[str]:
    limits: dict[str, list[Check]] = {}  # a metric may have two checks: a minimum and a maximum
    for check in d.checks:
        limits.setdefault(check.metric, []).append(check)
    header = "| metric | value | threshold | pass |" + (" Δ baseline |" if delta is not None else "")
    lines = [header, "|---|---|---|---|" + ("---|" if delta is not None else "")]
    for metric, value in d.metrics.items():
        checks: list[Check | None] = [*limits.get(metric, [])] or [None]
        for c in checks:
            bound = f"{'≥' if c.bound == 'min' else '≤'} {c.limit:g}" if c else ""
            status = ("yes" if c.passed else "**NO**") if c else ""
            row = f"| {metric} | {_fmt(value, metric)} | {bound} | {status} |"
            if delta is not None:
                row += f" {_delta(delta.get(metric), metric)} |"
            lines.append(row)
    return [*lines, ""]


def _textbook_md(d: DatasetResult) -> list[str]:
    if d.textbook is None:
        return []
    lines = [
        f"Textbook LlamaIndex pipeline ({d.textbook.chunks} chunks; its fact recall reads the top two chunks"
        ", which is generous to it):",
        "",
        "| metric | assistant | textbook |",
        "|---|---|---|",
    ]
    for metric, value in d.textbook.to_dict().items():
        lines.append(f"| {metric} | {_fmt(d.metrics.get(metric))} | {_fmt(value)} |")
    return [*lines, ""]


def _tags_md(d: DatasetResult) -> list[str]:
    lines = ["| tag | " + " | ".join(TAG_METRICS) + " |", "|---|" + "---|" * len(TAG_METRICS)]
    for tag, metrics in d.by_tag.items():
        lines.append(f"| {tag} | " + " | ".join(_fmt(metrics.get(m), m) for m in TAG_METRICS) + " |")
    return [*lines, ""]


def to_markdown(result: EvalResult, baseline: dict[str, Any] | None) -> str:
    changes = deltas(_current(result), baseline) if baseline is not None else None
    gated = any(d.checks for d in result.datasets)
    verdict = (
        ("PASSED" if gated else "NOT GATED (no thresholds apply to these datasets)")
        if result.passed
        else "FAILED (a metric is below its threshold)"
    )
    lines = [
        "# Grounding evals",
        "",
        f"{verdict}. Mode {result.mode}, judge {result.judge}, started {result.started}, "
        f"took {result.seconds:.0f} s." + (f" Baseline: {baseline['path']}." if baseline else ""),
        "",
        "## Failing questions",
        "",
    ]
    for d in result.datasets:
        failing = [r for r in d.results if r.failures]
        lines += [f"### {d.name}: {len(failing)} of {len(d.results)} questions failed", ""]
        for r in failing:
            lines += _failure_md(r)
    lines += ["## Metrics", ""]
    for d in result.datasets:
        took = ", ".join(f"{k} {v:.0f} s" for k, v in d.seconds.items())
        lines += [f"### {d.name}", "", f"{d.path} over {d.corpus} ({d.ingest.splitlines()[0]}; {took}).", ""]
        lines += _metrics_md(d, changes.get(d.name, {}) if changes is not None else None)
        lines += _textbook_md(d)
    lines += ["## By tag", ""]
    for d in result.datasets:
        lines += [f"### {d.name}", "", *_tags_md(d)]
    a = result.judge_agreement
    lines += [
        "## Judge agreement",
        "",
        f"The {result.judge} judge against {a.pairs} hand-labelled pairs (evals/datasets/judge_calibration.jsonl):"
        f" accuracy {a.accuracy:.3f}; on 'unsupported', precision {a.unsupported_precision:.3f} and"
        f" recall {a.unsupported_recall:.3f}. Disagreements: {', '.join(a.disagreements) or 'none'}.",
        "",
    ]
    return "\n".join(lines)


def write_reports(result: EvalResult, folder: Path, baseline: dict[str, Any] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "report.json", folder / "report.md"
    json_path.write_text(
        json.dumps(to_json(result, baseline), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    md_path.write_text(to_markdown(result, baseline), encoding="utf-8")
    return [json_path, md_path]


# What XML 1.0 cannot hold, even escaped: control characters but tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF. An article may keep a few (ingest keeps a text under 1 % of them),
# and a question or answer quoting it made the whole report unreadable to a CI's JUnit reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\ufffd", text)


def junit_xml(result: EvalResult) -> ET.Element:
    """One testcase per question (failure message = why), and one per threshold."""
    root = ET.Element("testsuites", name="grounding-evals")
    for d in result.datasets:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=d.name,
            tests=str(len(d.results)),
            failures=str(sum(1 for r in d.results if r.failures)),
            time=f"{sum(r.latency_ms for r in d.results) / 1000:.3f}",
        )
        for r in d.results:
            case = ET.SubElement(
                suite, "testcase", classname=f"evals.{d.name}", name=_xml_text(r.id), time=f"{r.latency_ms / 1000:.3f}"
            )
            if r.failures:
                failure = ET.SubElement(case, "failure", message=_xml_text("; ".join(r.failures)))
                failure.text = _xml_text(f"question: {r.question}\nanswer: {r.answer}")
        gates = ET.SubElement(
            root,
            "testsuite",
            name=f"{d.name}.thresholds",
            tests=str(len(d.checks)),
            failures=str(sum(1 for c in d.checks if not c.passed)),
        )
        for c in d.checks:
            case = ET.SubElement(gates, "testcase", classname=f"evals.{d.name}.thresholds", name=c.metric)
            if not c.passed:
                word = "at least" if c.bound == "min" else "at most"
                ET.SubElement(
                    case, "failure", message=f"{c.metric} = {_fmt(c.value)}, wanted {word} {c.limit:g}"
                )
    return root


def write_junit(result: EvalResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(junit_xml(result))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def threshold_table(result: EvalResult) -> str:
    rows = [("dataset", "metric", "value", "threshold", "pass")]
    for d in result.datasets:
        for c in d.checks:
            rows.append(
                (
                    d.name,
                    c.metric,
                    _fmt(c.value),
                    f"{'>=' if c.bound == 'min' else '<='} {c.limit:g}",
                    "ok" if c.passed else "FAIL",
                )
            )
        if not d.checks:
            rows.append((d.name, "(no thresholds)", "", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    if not result.passed:
        verdict = "BELOW THRESHOLD"
    elif any(d.checks for d in result.datasets):
        verdict = "all thresholds met"
    else:  # nothing gated reads as no pass: a thresholds file without the datasets' tables
        verdict = "nothing gated: no thresholds apply to these datasets (give --thresholds a file with their tables)"
    goals = [
        f"  {d.name} {c.metric} {_fmt(c.value)} (target {'>=' if c.bound == 'min' else '<='} {c.limit:g})"
        for d in result.datasets
        for c in d.targets
        if not c.passed
    ]
    missed = ["", "targets not yet met (reported, not gating):", *goals] if goals else []
    return "\n".join([*lines, *missed, "", f"evals: {verdict} ({result.seconds:.0f} s)"])
