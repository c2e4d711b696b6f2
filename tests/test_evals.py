"""The grounding eval suite's pieces, on the real datasets, corpus and assistant."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.answer.prompts import load_prompt
from assistant.cli import build_parser
from assistant.errors import ConfigError, LLMUnavailableError
from assistant.evals import report, squad
from assistant.evals.dataset import DatasetError, declared_corpus, load_calibration, load_questions
from assistant.evals.judge import Agreement, OfflineJudge, agreement, parse_verdict
from assistant.evals.metrics import (
    METRICS,
    QuestionResult,
    aggregate,
    answer_words,
    citation_problems,
    fact_groups,
    score,
    score_statement,
)
from assistant.evals.runner import CALIBRATION, DATASETS_DIR, DatasetResult, EvalResult, run_cli, run_evals
from assistant.evals.thresholds import Threshold, check, check_names, load_targets, load_thresholds
from assistant.search.embedding import MiniLMEmbedder
from assistant.types import Citation, Statement
from tests.conftest import open_assistant

SAMPLE = DATASETS_DIR / "sample_news.jsonl"
SQUAD = DATASETS_DIR / "squad_sample.jsonl"
GOOD_LINE = {
    "id": "x-1",
    "question": "Who initiated the call?",
    "answerable": True,
    "expected_facts": [["French side"]],
    "gold_sources": ["000_6ad6e53ae49aa3fe.txt"],
    "reference_answer": "The French side.",
    "tags": ["single-article"],
}


def _write_jsonl(path: Path, rows: list[dict[str, object] | str]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ({k: v for k, v in GOOD_LINE.items() if k != "gold_sources"}, "missing field(s): gold_sources"),
        ({**GOOD_LINE, "surprise": 1}, "unknown field(s): surprise"),
        ({**GOOD_LINE, "answerable": "yes"}, "'answerable' must be true or false"),
        ({**GOOD_LINE, "expected_facts": ["French side"]}, "must be a list of non-empty strings"),
        ({**GOOD_LINE, "answerable": False}, "unanswerable question must have empty"),
        (GOOD_LINE, "duplicate id 'x-1'"),
    ],
)
def test_a_bad_line_is_reported_with_file_and_line(
    tmp_path: Path, bad: dict[str, object] | str, message: str
) -> None:
    path = _write_jsonl(tmp_path / "qs.jsonl", [GOOD_LINE, "", bad])
    with pytest.raises(DatasetError) as caught:
        load_questions(path)
    assert f"{path}:3:" in str(caught.value)
    assert message in str(caught.value)


def test_a_dataset_saved_with_a_byte_order_mark_or_odd_line_breaks_in_its_strings_is_read(tmp_path: Path) -> None:
    """A BOM (Windows editors) made line 1 invalid JSON; U+2028, U+2029 or U+0085 inside a
    question's string (valid JSON, `ensure_ascii=False`) split the line in two."""
    rows = [
        {**GOOD_LINE, "question": "Who initiated\u2028the call?"},
        {**GOOD_LINE, "id": "x-2", "reference_answer": "The French\u0085side.\u2029"},
    ]
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in rows).encode())
    questions = load_questions(path)
    assert [q.id for q in questions] == ["x-1", "x-2"] and "\u2028" in questions[0].question


def test_shipped_datasets_are_valid() -> None:
    sample = load_questions(SAMPLE)
    corpus_files = {p.name for p in (DATASETS_DIR.parents[1] / "corpus").glob("*.txt")}
    assert {g for q in sample for g in q.gold_sources} <= corpus_files
    assert any(not q.answerable for q in sample) and any(q.history for q in sample)
    pairs = load_calibration(CALIBRATION)
    assert all(p.source is None or p.source in corpus_files for p in pairs)
    squad_rows = load_questions(SQUAD)
    assert len(squad_rows) == squad.SAMPLE_SIZE
    assert len({q.gold_sources[0] for q in squad_rows}) == squad.SAMPLE_SIZE  # one per paragraph
    assert len({q.gold_sources[0].split("_")[0] for q in squad_rows}) == 24  # every article


@pytest.mark.skipif(not squad.DEFAULT_SOURCE.is_file(), reason="SQuAD source not available")
def test_squad_sample_is_reproducible_and_its_corpus_rebuilds(tmp_path: Path) -> None:
    rows = squad.sample_questions()
    committed = [json.loads(line) for line in SQUAD.read_text(encoding="utf-8").splitlines()]
    assert rows == committed
    corpus = squad.ensure_corpus(corpus_dir=tmp_path / "squad")
    files = {p.name for p in corpus.glob("*.txt")}
    assert len(files) == 1048 and {r["gold_sources"][0] for r in rows} <= files
    assert (corpus / "00_000.txt").read_text(encoding="utf-8").startswith("Super Bowl 50\n\n")
    (corpus / "00_000.txt").unlink()
    squad.ensure_corpus(corpus_dir=corpus)
    assert (corpus / "00_000.txt").is_file()


def test_offline_judge_agrees_with_the_calibration_labels() -> None:
    result = agreement(OfflineJudge(), load_calibration(CALIBRATION))
    assert result.accuracy >= 0.8, result.disagreements
    assert result.unsupported_recall >= 0.8


def test_offline_judge_rules() -> None:
    judge = OfflineJudge()
    evidence = "Russia has more than 100,000 of its troops deployed around the border with Ukraine."
    assert judge.supports("Russia has more than 100,000 of its troops deployed around the border", evidence)
    assert not judge.supports(
        "Russia has more than 10,000 troops deployed around the border with Ukraine.", evidence
    )
    assert not judge.supports("Russia has no troops deployed around the border with Ukraine.", evidence)
    assert not judge.supports("Belarus has more than 100,000 troops deployed around the border.", evidence)


def test_llm_judge_prompt_and_verdicts() -> None:
    assert "{statement}" in load_prompt("judge_support") and "{evidence}" in load_prompt("judge_support")
    assert parse_verdict("SUPPORTED") and parse_verdict(" supported.")
    assert not parse_verdict("NOT_SUPPORTED") and not parse_verdict("Not supported")
    with pytest.raises(LLMUnavailableError):
        parse_verdict("maybe")


def test_metrics_on_real_answers(sample_bot: Assistant) -> None:
    wanted = {"sn-001", "sn-003", "sn-045", "sn-070"}
    questions = [q for q in load_questions(SAMPLE) if q.id in wanted]
    by_file = {Path(a.path).name: a.doc_id for a in sample_bot.articles()}
    judge = OfflineJudge()
    answers = {q.id: sample_bot.ask(q.question, history=list(q.history)) for q in questions}
    results = [score(q, answers[q.id], 10.0, by_file, judge) for q in questions]
    for r in results:
        assert r.citations_valid, r.citation_problems  # the assistant's own invariant
        assert len(r.fact_groups) == len(next(q for q in questions if q.id == r.id).expected_facts)
        if r.answerable:
            assert r.gold_rank is not None
    metrics = aggregate(results)
    assert metrics["questions"] == 4
    for name in ("hit_at_1", "hit_at_5", "mrr", "fact_recall", "citation_recall", "abstention_recall"):
        assert metrics[name] is not None and 0.0 <= metrics[name] <= 1.0  # type: ignore[operator]
    assert metrics["latency_p50_ms"] == 10.0
    assert answer_words("Squid Game [1]. Netflix has renewed it [1][2].") == 6
    answered = sorted(answer_words(r.answer) for r in results if r.answered)
    assert metrics["answer_words_p95"] is not None and answered[0] <= metrics["answer_words_p95"] <= answered[-1]

    first = next(q for q in questions if q.id == "sn-001")
    answer = answers["sn-001"]
    assert not answer.abstained and answer.citations
    broken = replace(
        answer,
        text=answer.text + " Extra. [9]",
        citations=(
            replace(answer.citations[0], quote=answer.citations[0].quote + "!"),
            *answer.citations[1:],
        ),
        statements=(*answer.statements, Statement("Extra.", (9,))),
    )
    problems = citation_problems(broken)
    assert any("quote differs" in p for p in problems) and "marker [9] has no citation" in problems
    abstained = replace(answer, text="The articles don't say.", abstained=True, citations=(), statements=())
    scored = score(first, abstained, 1.0, by_file, judge)
    assert not scored.facts_found and "abstained on an answerable question" in scored.failures
    assert aggregate([scored])["false_abstention_rate"] == 1.0


def test_fact_matching_normalises_quotes_space_and_case() -> None:
    assert fact_groups(
        "Putin said  NATO’s\nexpansion was bad", [["nato's expansion"], ["missing", "BAD"]]
    ) == (
        True,
        True,
    )
    assert fact_groups("nothing here", [["nato"]]) == (False,)


def test_thresholds_min_max_and_unmeasured(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text("[d]\nfact_recall = 0.9\nfalse_abstention_rate_max = 0.05\nabstention_recall_min = 0.5\n")
    gates = load_thresholds(path)["d"]
    assert gates[1] == Threshold("false_abstention_rate", "max", 0.05)
    metrics = {"fact_recall": 0.95, "false_abstention_rate": 0.1, "abstention_recall": None}
    assert [c.passed for c in check(gates, metrics)] == [True, False, False]
    with pytest.raises(ConfigError, match="unknown metric"):
        check([Threshold("fact_recal", "min", 1.0)], metrics)


def test_a_gate_upside_down_or_out_of_range_is_refused(tmp_path: Path) -> None:
    """"false_abstention_rate = 0.05" was a floor: a run that refused more passed it; 90 for a
    share, nan or -1 were taken and failed or passed every run; a file saved with a byte-order
    mark or in another encoding was not TOML, or an error id."""
    path = tmp_path / "t.toml"
    for toml, message in [
        ("false_abstention_rate = 0.05", "less is better for false_abstention_rate, so its gate is a ceiling: "
         "write false_abstention_rate_max = 0.05"),
        ("latency_p95_ms_min = 200", "write latency_p95_ms_max = 200"),
        ("fact_recall_max = 0.9", "more is better for fact_recall, so its gate is a floor: write fact_recall = 0.9"),
        ("fact_recall = 90", "fact_recall is a share from 0 to 1"),
        ("fact_recall = -1", "fact_recall is a share from 0 to 1"),
        ("fact_recall = nan", "must be a finite number"),
        ("latency_p50_ms_max = -5", "cannot be negative"),
    ]:
        path.write_text(f"[d]\n{toml}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_thresholds(path)
    path.write_bytes(b"\xef\xbb\xbf[d]\nfact_recall = 0.9\n")
    assert load_thresholds(path) == {"d": [Threshold("fact_recall", "min", 0.9)]}
    # a name no metric has is told by its nearest name when the run checks the file, not as a
    # share out of range; a floor on answer length is no mistake
    path.write_text("[d]\nlatency_p95_max = 900\nanswer_words_p50_min = 10\n", encoding="utf-8")
    assert load_thresholds(path)["d"] == [Threshold("latency_p95", "max", 900.0), Threshold("answer_words_p50", "min", 10.0)]
    path.write_bytes("# f\u00fcr die Gates\n[d]\nfact_recall = 0.9\n".encode("cp1252"))
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_thresholds(path)


def test_llm_mode_without_a_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--mode llm"):
        run_evals(Settings.from_mapping({}), [SAMPLE], mode="llm")


def test_run_cli_gates_on_thresholds_and_writes_reports(tmp_path: Path) -> None:
    impossible = {**GOOD_LINE, "id": "x-2", "expected_facts": [["no article says zzyzx"]]}
    unanswerable = {**GOOD_LINE, "id": "x-3", "answerable": False, "expected_facts": [], "gold_sources": []}
    dataset = _write_jsonl(tmp_path / "mini.jsonl", [GOOD_LINE, impossible, unanswerable])
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[mini]\nfact_recall = 0.9\nhit_at_5 = 0.5\n", encoding="utf-8")  # recall 0.5
    out = tmp_path / "report"
    args = build_parser().parse_args(
        [
            "eval",
            str(dataset),
            "--report",
            str(out),
            "--junit",
            str(out / "junit.xml"),
            "--thresholds",
            str(thresholds),
        ]
    )
    assert run_cli(args, Settings.from_mapping({})) == 1

    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    mini = data["datasets"]["mini"]
    assert [c["passed"] for c in mini["thresholds"]] == [False, True]
    assert data["judge_agreement"]["pairs"] == 43
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert markdown.index("## Failing questions") < markdown.index("## Metrics") < markdown.index("## By tag")
    assert "#### x-2:" in markdown and "missing fact(s): no article says zzyzx" in markdown

    suites = {s.get("name"): s for s in ET.parse(out / "junit.xml").getroot()}
    cases = {c.get("name"): c for c in suites["mini"].iter("testcase")}
    assert set(cases) == {"x-1", "x-2", "x-3"}
    failure = cases["x-2"].find("failure")
    assert failure is not None and "missing fact(s)" in failure.get("message", "")
    assert suites["mini.thresholds"].get("failures") == "1"

    baseline = report.load_baseline(out / "report.json")
    deltas = report.deltas({"mini": mini["metrics"]}, baseline)
    assert deltas["mini"]["fact_recall"] == 0.0


def test_targets_are_reported_but_do_not_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _write_jsonl(tmp_path / "mini.jsonl", [GOOD_LINE])
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[mini]\nhit_at_5 = 0.5\n\n[targets.mini]\nlatency_p50_ms_max = 0.001\n", encoding="utf-8")
    assert load_targets(thresholds)["mini"] == [Threshold("latency_p50_ms", "max", 0.001)]
    assert "targets" not in load_thresholds(thresholds)
    args = build_parser().parse_args(
        ["eval", str(dataset), "--report", str(tmp_path / "r"), "--thresholds", str(thresholds)]
    )
    assert run_cli(args, Settings.from_mapping({})) == 0
    printed = capsys.readouterr().out
    assert "targets not yet met" in printed and "mini latency_p50_ms" in printed
    data = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert data["datasets"]["mini"]["targets"][0]["passed"] is False


def test_a_run_that_nothing_gates_does_not_read_as_a_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With no table for its datasets, a run printed "all thresholds met" and its report PASSED."""
    dataset = _write_jsonl(tmp_path / "mini.jsonl", [GOOD_LINE])
    args = build_parser().parse_args(["eval", str(dataset), "--report", str(tmp_path / "r"), "--thresholds", "/dev/null"])
    assert run_cli(args, Settings.from_mapping({})) == 0
    printed = capsys.readouterr().out
    assert "nothing gated: no thresholds apply to these datasets" in printed and "all thresholds met" not in printed
    assert (tmp_path / "r" / "report.md").read_text(encoding="utf-8").startswith("# Grounding evals\n\nNOT GATED")


def test_corroboration_metrics_read_which_articles_each_statement_cites(sample_bot: Assistant) -> None:
    by_file = {Path(a.path).name: a.doc_id for a in sample_bot.articles()}
    question = next(q for q in load_questions(SAMPLE) if q.id == "sn-080")
    answer = sample_bot.ask(question.question)
    cited = [{Path(c.path).name for c in answer.citations if c.marker in s.markers} for s in answer.statements]
    scored = score(question, answer, 1.0, by_file, OfflineJudge())
    assert scored.cited_together == any(set(question.cited_together) <= files for files in cited)
    # The same answer, asked to keep those two articles apart: it cites them together or not.
    apart = replace(question, cited_together=(), cited_apart=question.cited_together)
    kept = score(apart, answer, 1.0, by_file, OfflineJudge())
    assert kept.cited_apart is (not scored.cited_together)
    assert ("different claims merged" in " ".join(kept.failures)) is (not kept.cited_apart)
    metrics = aggregate([scored, kept])
    assert metrics["corroboration"] == float(bool(scored.cited_together))
    assert metrics["claims_kept_apart"] == float(bool(kept.cited_apart))
    abstained = replace(answer, text="The articles don't say.", abstained=True, citations=(), statements=())
    assert score(question, abstained, 1.0, by_file, OfflineJudge()).cited_together is False


def test_cited_together_needs_two_files_of_an_answerable_question(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "bad.jsonl", [{**GOOD_LINE, "cited_together": ["001_660320b987047e91.txt"]}])
    with pytest.raises(DatasetError, match="at least two files"):
        load_questions(path)


def test_a_near_miss_whose_passages_hold_its_absent_facts_leaves_the_strict_figures(
    sample_bot: Assistant, tmp_path: Path
) -> None:
    by_file = {Path(a.path).name: a.doc_id for a in sample_bot.articles()}
    judge = OfflineJudge()
    answerable = next(q for q in load_questions(SAMPLE) if q.id == "sn-001")
    near_miss = next(q for q in load_questions(SAMPLE) if q.id == "sn-058")
    answer = sample_bot.ask(near_miss.question)
    # Words of its passages as "absent" facts: the passages hold them, so it is no near miss.
    held_word = next(w for w in " ".join(answer.passages).split() if len(w) > 6 and w.isalpha())
    spoiled = score(replace(near_miss, absent_facts=((held_word,),)), answer, 1.0, by_file, judge)
    kept = score(replace(near_miss, absent_facts=(("natural gas tariff",),)), answer, 1.0, by_file, judge)
    assert spoiled.passages_hold_absent is True and kept.passages_hold_absent is False
    assert score(near_miss, answer, 1.0, by_file, judge).passages_hold_absent is None
    right = score(answerable, sample_bot.ask(answerable.question), 1.0, by_file, judge)
    metrics = aggregate([right, spoiled, kept])
    assert metrics["near_misses_holding_answer"] == 0.5
    assert metrics["abstention_recall_strict"] == float(kept.abstained)
    assert metrics["abstention_recall"] == (float(kept.abstained) + float(spoiled.abstained)) / 2
    assert aggregate([right, replace(kept, passages_hold_absent=None)])["abstention_auroc_strict"] is None
    # The dataset field loads, and only on unanswerable questions.
    line = {**GOOD_LINE, "answerable": False, "expected_facts": [], "gold_sources": [], "absent_facts": [["x"]]}
    assert load_questions(_write_jsonl(tmp_path / "ok.jsonl", [line]))[0].absent_facts == (("x",),)
    with pytest.raises(DatasetError, match="absent_facts"):
        load_questions(_write_jsonl(tmp_path / "bad.jsonl", [{**GOOD_LINE, "absent_facts": [["x"]]}]))


# Defects found in review of the eval suite: each test below failed before its fix.


def test_a_misspelt_thresholds_table_is_a_config_error(tmp_path: Path) -> None:
    dataset = _write_jsonl(tmp_path / "mine.jsonl", [GOOD_LINE])
    thresholds = tmp_path / "t.toml"
    thresholds.write_text("[minee]\nhit_at_1 = 1.0\n\n[targets.mine]\nfact_recall = 1.0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"table \[minee\] names no dataset of this run; did you mean \[mine\]"):
        run_evals(Settings.from_mapping({}), [dataset], thresholds=thresholds)
    thresholds.write_text("[mine]\nhit_at_1 = 1.0\n\n[targets.mien]\nfact_recall = 1.0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"did you mean \[targets.mine\]"):
        run_evals(Settings.from_mapping({}), [dataset], thresholds=thresholds)
    # Tables of the run's datasets, of shipped datasets and of targets are all fine, and so is a
    # table of another dataset of a shared file that this run does not ask.
    gates = {"mine": [Threshold("hit_at_1", "min", 1.0)], "sample_news": [], "theirs": []}
    check_names(thresholds, gates, {"mine": [], "squad_sample": []}, ["mine"], ["sample_news", "squad_sample"], METRICS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": "???"}, "has no words to look for"),
        ({"question": "Who? " * 500}, "characters long"),
        ({"history": [["q", "a"]] * 25}, "25 earlier turns"),
        ({"as_of": "0001-01-01"}, "as_of must be a day from 0100-01-01"),
    ],
)
def test_a_question_the_assistant_would_refuse_is_found_before_any_corpus_is_indexed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, object], message: str
) -> None:
    """It stopped the run after the corpus was indexed, named by neither dataset nor id."""
    dataset = _write_jsonl(tmp_path / "mine.jsonl", [GOOD_LINE, {**GOOD_LINE, "id": "x-9", **change}])
    with pytest.raises(DatasetError, match=rf"mine\.jsonl: question x-9: .*{re.escape(message)}"):
        run_evals(Settings.from_mapping({}), [dataset], thresholds=Path("/dev/null"))
    assert "indexing" not in capsys.readouterr().err


def test_reports_that_cannot_be_written_are_found_before_any_question_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An existing file named as --report, a folder as --junit: found after the whole run."""
    dataset = _write_jsonl(tmp_path / "mine.jsonl", [GOOD_LINE])
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    for options, message in [
        (["--report", str(afile)], f"--report {afile} is a file"),
        (["--report", str(tmp_path / "r"), "--junit", str(tmp_path)], f"--junit {tmp_path} is a folder"),
        (["--report", str(afile / "sub")], f"{afile / 'sub'} cannot be made: {afile} is a file"),
    ]:
        args = build_parser().parse_args(["eval", str(dataset), "--thresholds", "/dev/null", *options])
        with pytest.raises(ConfigError, match=re.escape(message)):
            run_cli(args, Settings.from_mapping({}))
        assert "indexing" not in capsys.readouterr().err


def test_dataset_names_with_a_dot_and_a_thresholds_file_named_as_its_dataset(tmp_path: Path) -> None:
    """[ours.v2] is a table v2 inside [ours] to TOML: it was "v2 must be a number"; a thresholds
    file beside ours.jsonl named ours.toml was read as its corpus sidecar ("missing corpus")."""
    thresholds = tmp_path / "t.toml"
    thresholds.write_text("[ours.v2]\nfact_recall = 0.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape('a dataset\'s name with a dot is quoted: ["ours.v2"]')):
        load_thresholds(thresholds)
    thresholds.write_text('["ours.v2"]\nfact_recall = 0.5\n', encoding="utf-8")
    assert load_thresholds(thresholds) == {"ours.v2": [Threshold("fact_recall", "min", 0.5)]}
    dataset = _write_jsonl(tmp_path / "mine.jsonl", [GOOD_LINE])
    (tmp_path / "mine.toml").write_bytes(b"\xef\xbb\xbf[mine]\nfact_recall = 0.5\n")  # saved with a BOM too
    assert declared_corpus(dataset) is None
    (tmp_path / "mine.toml").write_text('corpus = "articles"\n', encoding="utf-8")
    assert declared_corpus(dataset) == tmp_path / "articles"


def test_threshold_mistakes_are_found_before_any_question_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _write_jsonl(tmp_path / "mine.jsonl", [GOOD_LINE])
    thresholds = tmp_path / "t.toml"
    thresholds.write_text("[mine]\nhit_at_1 = 0.1\nfact_recal = 0.9\n", encoding="utf-8")
    out = tmp_path / "report"
    args = build_parser().parse_args(["eval", str(dataset), "--report", str(out), "--thresholds", str(thresholds)])
    with pytest.raises(ConfigError, match=r"unknown metric 'fact_recal'") as caught:
        run_cli(args, Settings.from_mapping({}))
    assert "indexing" not in capsys.readouterr().err  # found before the corpus was indexed
    assert "(did you mean 'fact_recall'?)" in str(caught.value)
    thresholds.write_text("[mine]\nhit_at_1 = 0.1\n", encoding="utf-8")
    args = build_parser().parse_args(
        ["eval", str(dataset), "--report", str(out), "--thresholds", str(thresholds), "--baseline", "nowhere.json"]
    )
    with pytest.raises(ConfigError, match=r"baseline report nowhere\.json does not exist"):
        run_cli(args, Settings.from_mapping({}))
    assert "indexing" not in capsys.readouterr().err and not out.exists()


def test_cited_files_must_be_in_the_corpus(tmp_path: Path) -> None:
    for key in ("cited_apart", "cited_together"):
        line = {**GOOD_LINE, key: ["000_6ad6e53ae49aa3fe.txt", "nope.txt"]}
        dataset = _write_jsonl(tmp_path / "cited.jsonl", [line])
        with pytest.raises(ConfigError, match=rf"cited.jsonl: {key} file\(s\) not indexed from .*: nope.txt"):
            run_evals(Settings.from_mapping({}), [dataset], thresholds=Path("/dev/null"))


def test_offline_judge_verbatim_rule_matches_whole_words() -> None:
    judge = OfflineJudge()
    evidence = "The death toll rose to 12 on Sunday."
    assert judge.verdict("The death toll rose to 12", evidence).reason == "verbatim"
    toll = judge.verdict("The death toll rose to 1", evidence)
    assert not toll.supported and toll.reason.startswith("number(s) not in evidence: 1")
    assert not judge.supports("The death toll rose to 1", "The death toll rose to 1.5 on Sunday.")
    assert judge.verdict("The talks were a success [1]", "The talks were a successor to Minsk.").reason != "verbatim"


def _citation(marker: int, text: str) -> Citation:
    return Citation(marker, f"doc-{marker}", "t", None, None, "/nowhere.txt", text, 0, len(text), text)


def test_citation_precision_compares_each_quote_with_the_other_markers_quotes() -> None:
    judge = OfflineJudge()
    statement = "Putin and Macron spoke on Friday about Ukraine."
    first, second = "Putin and Macron spoke by phone.", "The call was on Friday and covered Ukraine."
    assert not judge.supports(statement, first) and not judge.supports(statement, second)
    assert judge.supports(statement, f"{first} {second}")
    citations = {1: _citation(1, first), 2: _citation(2, second)}
    # Each quote is needed; marker 9 has no citation.
    assert score_statement(Statement(statement, (1, 2)), citations, judge).relevant == (True, True)
    assert score_statement(Statement(statement, (1, 9, 2)), citations, judge).relevant == (True, False, True)
    assert score_statement(Statement(statement, (9, 1, 2)), citations, judge).relevant == (False, True, True)


def test_strict_abstention_metrics_are_always_reported() -> None:
    metrics = aggregate([])
    assert tuple(metrics) == METRICS
    strict = ("near_misses_holding_answer", "abstention_recall_strict", "abstention_auroc_strict")
    assert all(metrics[name] is None for name in strict)
    checks = check([Threshold(name, "min", 0.5) for name in strict], metrics)
    assert [(c.value, c.passed) for c in checks] == [(None, False)] * 3  # not measured: missed


def test_two_datasets_of_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _write_jsonl(tmp_path / "a" / "x.jsonl", [GOOD_LINE])
    second = _write_jsonl(tmp_path / "b" / "x.jsonl", [GOOD_LINE])
    with pytest.raises(ConfigError, match=r"share the name 'x'.*\[x\]"):
        run_evals(Settings.from_mapping({}), [first, second], thresholds=Path("/dev/null"))


def test_report_md_lists_a_minimum_and_a_maximum_of_one_metric() -> None:
    metrics = {**aggregate([]), "answer_words_p50": 95.0}
    gates = [Threshold("answer_words_p50", "min", 1.0), Threshold("answer_words_p50", "max", 2.0)]
    dataset = DatasetResult(
        name="x",
        path=Path("x.jsonl"),
        corpus=Path("corpus"),
        results=[],
        metrics=metrics,
        checks=check(gates, metrics),
        by_tag={},
        ingest="added 0",
        seconds={},
    )
    result = EvalResult("extractive", "offline", Agreement(0, 0.0, 0.0, 0.0, ()), datasets=[dataset])
    rows = [line for line in report.to_markdown(result, None).splitlines() if line.startswith("| answer_words_p50 |")]
    assert rows == ["| answer_words_p50 | 95.000 | ≥ 1 | yes |", "| answer_words_p50 | 95.000 | ≤ 2 | **NO** |"]


def test_junit_xml_is_well_formed_whatever_the_articles_hold(tmp_path: Path) -> None:
    """A question or answer quoting an article's control character (ingest keeps a text under
    1 % of them) made junit.xml unreadable: "not well-formed (invalid token)"."""
    failing = QuestionResult(
        id="x-\x01", question="What did the \x0bmayor say?", tags=(), answerable=True, gold_sources=(),
        answer="The mayor\x00 said \ud800 no.", abstained=False, mode="extractive", latency_ms=5.0, citations=(),
        gold_rank=None, fact_groups=(False,), citations_valid=True, citation_problems=(), statements=(),
        failures=("missing fact(s): \x1b[31mred",),
    )
    dataset = DatasetResult(
        name="x", path=Path("x.jsonl"), corpus=Path("corpus"), results=[failing], metrics=aggregate([failing]),
        checks=[], by_tag={}, ingest="added 0", seconds={},
    )
    result = EvalResult("extractive", "offline", Agreement(0, 0.0, 0.0, 0.0, ()), datasets=[dataset])
    report.write_junit(result, tmp_path / "junit.xml")
    case = next(ET.parse(tmp_path / "junit.xml").getroot().iter("testcase"))
    failure = case.find("failure")
    assert case.get("name") == "x-\\x01" and failure is not None
    assert failure.get("message") == "missing fact(s): \\x1b[31mred"
    assert failure.text == "question: What did the \\x0bmayor say?\nanswer: The mayor\\x00 said \ufffd no."


def test_a_folder_given_as_a_dataset_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=f"dataset {tmp_path} is a folder"):
        load_questions(tmp_path)


def test_a_footnote_in_a_quoted_sentence_is_no_citation_marker(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "bridge.txt").write_text(
        "Drelingen Gazette\n\nZorblat Bridge\n\nThe Zorblat Bridge is a suspension bridge over the river "
        "Amsel in the city of Drelingen.\n\nIt was opened to traffic in 1987.[3] The bridge was designed by "
        "the engineer Marta Quell, who later taught at the university.[4]\n",
        encoding="utf-8",
    )
    bot = open_assistant(tmp_path / "index", embedder)
    bot.ingest([corpus])
    answer = bot.ask("Who designed the Zorblat Bridge?")
    assert "[3]" in answer.text and 3 not in {c.marker for c in answer.citations}
    assert citation_problems(answer) == ()
