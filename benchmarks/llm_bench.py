"""The LLM answer path with a local model on this machine: answer quality and speed, one run.

    .venv/bin/python benchmarks/llm_bench.py --out benchmarks/llm_results.json   # `make bench-llm`
    .venv/bin/python benchmarks/llm_bench.py --limit 5 --out /tmp/llm.json        # smoke run

Starts llama.cpp's OpenAI-compatible server on 127.0.0.1 with a local model (Qwen2.5-Coder-1.5B
by default; `make bench-llm` installs it), indexes the sample corpus in a temporary folder and
asks the questions of evals/datasets/sample_news.jsonl (all, or every Kth) through
`Assistant.ask_stream`, as the chat page does, with the passage budget of `serve --llm local`. Each answer is scored by the eval suite (metrics and offline judge), so fact
recall, citation validity, citation recall and precision (support) and abstention mean what
they mean in `assistant eval`. Per question it times the first piece of text (time to first
token; for a follow-up this includes rewriting it to stand alone) and the whole answer. The
extractive answers to the same questions, scored the same way in the same run, are the baseline.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

from assistant import Answer, Assistant, Settings
from assistant.answer.local_llm import ModelKind, assemble_model, start_server
from assistant.cli import LOCAL_LLM_EVIDENCE_TOKENS, LOCAL_LLM_PASSAGES
from assistant.evals.dataset import EvalQuestion, load_questions
from assistant.evals.judge import OfflineJudge
from assistant.evals.metrics import QuestionResult, aggregate, percentile, score
from assistant.evals.runner import SAMPLE_CORPUS, doc_ids_by_file
from assistant.search.embedding import MiniLMEmbedder

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO / "evals" / "datasets" / "sample_news.jsonl"
TARGETS = {"first_token_s_max": 3.0, "total_s_max": 15.0}
QUALITY = (
    "fact_recall",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "abstention_recall",
    "false_abstention_rate",
    "llm_fallback_rate",
    "hit_at_1",
)


@dataclass(frozen=True)
class Timed:
    answer: Answer
    first_token_s: float | None  # None when no text came before the final answer
    total_s: float


def ask_timed(bot: Assistant, question: EvalQuestion) -> Timed:
    started = time.perf_counter()
    first = None
    final: Answer | None = None
    for item in bot.ask_stream(question.question, history=list(question.history) or None):
        if isinstance(item, Answer):
            final = item
        elif first is None:
            first = time.perf_counter() - started
    assert final is not None, "ask_stream always ends with the Answer"
    return Timed(final, first, time.perf_counter() - started)


def _seconds(values: list[float]) -> dict[str, float | None]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "p50": rounded(percentile(values, 50)),
        "p95": rounded(percentile(values, 95)),
        "max": rounded(max(values)) if values else None,
    }


def _quality(results: list[QuestionResult]) -> dict[str, float | None]:
    metrics = aggregate(results)
    return {
        name: None if metrics[name] is None else round(float(metrics[name] or 0.0), 3) for name in QUALITY
    }


def run(
    model: ModelKind,
    questions: list[EvalQuestion],
    threads: int,
    llm_passages: int,
    evidence_tokens: int,
    rewrite_follow_ups: bool,
) -> dict[str, Any]:
    embedder = MiniLMEmbedder()
    judge = OfflineJudge()
    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        base = Settings.from_mapping(
            {
                "index_dir": Path(tmp),
                "llm_passages": llm_passages,
                "llm_evidence_tokens": evidence_tokens,
                "llm_rewrite_follow_ups": rewrite_follow_ups,
            }
        )
        extractive = Assistant(base, embedder=embedder)
        by_file = doc_ids_by_file(extractive, extractive.ingest([SAMPLE_CORPUS]))
        baseline = [
            score(q, extractive.ask(q.question, list(q.history) or None), 0.0, by_file, judge)
            for q in questions
        ]
        path = assemble_model(model)
        with start_server(path, threads=threads) as server:
            settings = Settings.from_mapping(
                {**base.__dict__, "openai_base_url": server.base_url, "llm_model": server.model,
                 "llm_timeout_s": 300.0, "llm_max_retries": 0}
            )  # fmt: skip
            bot = Assistant(settings, embedder=embedder)
            bot.prime()  # as `serve --llm local` does before serving
            per_question: list[dict[str, Any]] = []
            results: list[QuestionResult] = []
            firsts: list[float] = []
            totals: list[float] = []
            for number, question in enumerate(questions, start=1):
                timed = ask_timed(bot, question)
                result = score(question, timed.answer, timed.total_s * 1000, by_file, judge)
                results.append(result)
                totals.append(timed.total_s)
                if timed.first_token_s is not None:
                    firsts.append(timed.first_token_s)
                per_question.append(
                    {
                        "id": question.id,
                        "question": question.question,
                        "answer": timed.answer.text,
                        "searched_for": timed.answer.searched_for,
                        "mode": timed.answer.mode,
                        "unsupported": list(timed.answer.unsupported),
                        "first_token_s": None
                        if timed.first_token_s is None
                        else round(timed.first_token_s, 2),
                        "total_s": round(timed.total_s, 2),
                        "failures": list(result.failures),
                    }
                )
                print(
                    f"[{number}/{len(questions)}] {question.id}: first token {timed.first_token_s or 0:.1f} s, "
                    f"total {timed.total_s:.1f} s{'' if not result.failures else ' FAILED'}",
                    file=sys.stderr,
                    flush=True,
                )
    statements = [s for r in results for s in r.statements]
    return {
        "model": model,
        "model_file": path.name,
        "threads": threads,
        "llm_passages": llm_passages,
        "llm_evidence_tokens": evidence_tokens,
        "llm_rewrite_follow_ups": rewrite_follow_ups,
        "questions": len(questions),
        "llm": _quality(results),
        "extractive_same_run": _quality(baseline),
        "unsupported_statement_share": round(
            sum(1 for s in statements if not s.markers) / len(statements), 3
        ) if statements else None,
        "first_token_s": _seconds(firsts),
        "total_s": _seconds(totals),
        "within_targets": {
            "first_token": sum(1 for f in firsts if f <= TARGETS["first_token_s_max"]) / len(firsts) if firsts else None,
            "total": sum(1 for t in totals if t <= TARGETS["total_s_max"]) / len(totals),
        },
        "per_question": per_question,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="qwen-1.5b", choices=get_args(ModelKind))
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--every", type=int, default=1, help="every Kth question only (a sample across tags)")
    parser.add_argument(
        "--llm-passages",
        type=int,
        default=LOCAL_LLM_PASSAGES,
        help="passages the model reads (as `serve --llm local`)",
    )
    parser.add_argument(
        "--evidence-tokens",
        type=int,
        default=LOCAL_LLM_EVIDENCE_TOKENS,
        help="tokens of the best sentences the model reads; 0: whole passages (as `serve --llm local`)",
    )
    parser.add_argument(
        "--rewrite-follow-ups",
        action="store_true",
        help="have the model rewrite follow-ups first (`serve --llm local` does not: a second request)",
    )
    parser.add_argument("--tag", help="only the questions with this tag (e.g. follow-up)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "llm_results.json")
    args = parser.parse_args(argv)
    questions = [q for q in load_questions(DATASET) if args.tag is None or args.tag in q.tags]
    questions = questions[:: args.every][: args.limit]
    started = time.perf_counter()
    figures = run(
        args.model, questions, args.threads, args.llm_passages, args.evidence_tokens, args.rewrite_follow_ups
    )
    report = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "dataset": str(DATASET.relative_to(REPO)),
        "targets": TARGETS,
        "seconds": round(time.perf_counter() - started, 1),
        **figures,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {
        k: report[k] for k in ("llm", "extractive_same_run", "first_token_s", "total_s", "within_targets")
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
