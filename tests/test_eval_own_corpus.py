"""`assistant eval` on a team's own articles: --corpus, a dataset that names its corpus (first
line or sidecar), and `--init`'s starter dataset; the real command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import ConfigError
from assistant.evals.dataset import DatasetError, declared_corpus, load_questions
from assistant.evals.runner import run_evals
from assistant.evals.starter import pick_fact, questions
from tests.conftest import CORPUS, REPO

ARTICLES = {
    "zorbia_mayor.txt": """Zorbian Daily

Zorbia elects a new mayor

The city of Zorbia elected Mira Quell as its new mayor on Tuesday, officials said.

Quell promised to build a tram line along the river before the next election.
""",
    "glorp_festival.txt": """Wexford Courier

Glorp festival draws record crowds

The Glorp festival in Wexford drew 12,000 visitors on Sunday, organisers said.

The festival's giant puffin parade was led by Orla Brennick, the town's oldest fisherwoman.
""",
    "snarvel_bridge.txt": """Tolk Herald

Snarvel bridge reopens after repairs

The Snarvel bridge in Tolk reopened on Monday after four years of repairs, the council said.

Engineers from Halvard Brothers replaced every one of its 212 steel cables.
""",
}
QUESTIONS = [
    {
        "id": "own-1",
        "question": "Who was elected mayor of Zorbia?",
        "answerable": True,
        "expected_facts": [["Mira Quell"]],
        "gold_sources": ["zorbia_mayor.txt"],
        "reference_answer": "Mira Quell.",
        "tags": ["single-article"],
    },
    {
        "id": "own-2",
        "question": "Who led the giant puffin parade?",
        "answerable": True,
        "expected_facts": [["Orla Brennick"]],
        "gold_sources": ["glorp_festival.txt"],
        "reference_answer": "Orla Brennick.",
        "tags": ["single-article"],
    },
    {
        "id": "own-3",
        "question": "How many steel cables did the engineers replace on the Snarvel bridge?",
        "answerable": True,
        "expected_facts": [["212"]],
        "gold_sources": ["snarvel_bridge.txt"],
        "reference_answer": "212.",
        "tags": ["single-article"],
    },
]
GATES = "fact_recall = 1.0\ncitation_validity = 1.0\n"


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def eval_command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_CHROMA_URL"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "eval", *args],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=cwd,
        timeout=300,
    )


def report_of(folder: Path) -> dict[str, object]:
    report: dict[str, object] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return report


@pytest.mark.slow
def test_eval_on_a_corpus_given_with_the_flag(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "our-articles")
    dataset = write_jsonl(tmp_path / "ours.jsonl", QUESTIONS)
    (tmp_path / "gates.toml").write_text(f"[ours]\n{GATES}", encoding="utf-8")

    without = eval_command("ours.jsonl", "--thresholds", "gates.toml", cwd=tmp_path)
    assert without.returncode == 2, without.stderr  # asked about the sample news: a clear error
    assert "gold source(s) not indexed" in without.stderr and "Traceback" not in without.stderr

    done = eval_command(
        str(dataset),
        "--corpus",
        str(corpus),
        "--thresholds",
        "gates.toml",
        "--report",
        "rep",
        "--junit",
        "rep/junit.xml",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ours = report_of(tmp_path / "rep")["datasets"]["ours"]  # type: ignore[index]
    assert Path(ours["corpus"]) == corpus
    assert ours["metrics"]["questions"] == 3 and ours["metrics"]["fact_recall"] == 1.0
    assert 'tests="' in (tmp_path / "rep" / "junit.xml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_dataset_names_its_corpus_in_its_first_line_or_a_sidecar(tmp_path: Path) -> None:
    write_corpus(tmp_path / "data" / "articles")
    headed = write_jsonl(tmp_path / "data" / "headed.jsonl", [{"corpus": "articles"}, *QUESTIONS])
    sidecar = write_jsonl(tmp_path / "data" / "sidecar.jsonl", QUESTIONS)
    (tmp_path / "data" / "sidecar.toml").write_text('corpus = "articles"\n', encoding="utf-8")
    assert declared_corpus(headed) == declared_corpus(sidecar) == tmp_path / "data" / "articles"
    assert [q.id for q in load_questions(headed)] == ["own-1", "own-2", "own-3"]
    gates = tmp_path / "gates.toml"
    gates.write_text(f"[headed]\n{GATES}\n[sidecar]\n{GATES}", encoding="utf-8")

    done = eval_command(
        str(headed), str(sidecar), "--thresholds", str(gates), "--report", "rep", cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    datasets = report_of(tmp_path / "rep")["datasets"]
    assert {name: d["metrics"]["fact_recall"] for name, d in datasets.items()} == {  # type: ignore[union-attr]
        "headed": 1.0,
        "sidecar": 1.0,
    }

    bad = write_jsonl(tmp_path / "data" / "bad.jsonl", [{"corpus": "articles", "seed": 1}, *QUESTIONS])
    with pytest.raises(DatasetError, match=r"bad.jsonl:1: unknown field\(s\): seed"):
        declared_corpus(bad)
    gone = write_jsonl(tmp_path / "data" / "gone.jsonl", [{"corpus": "no-such-folder"}, *QUESTIONS])
    missing = eval_command(str(gone), cwd=tmp_path)
    assert missing.returncode == 2 and "the corpus folder" in missing.stderr and "--corpus" in missing.stderr


@pytest.mark.slow
def test_init_writes_a_starter_dataset_that_eval_accepts(tmp_path: Path) -> None:
    write_corpus(tmp_path / "articles")
    made = eval_command("--init", "articles", "--out", "evals/starter.jsonl", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "wrote 6 draft questions" in made.stdout and "needs-review" in made.stdout
    lines = [json.loads(line) for line in (tmp_path / "evals" / "starter.jsonl").read_text().splitlines()]
    assert lines[0] == {"corpus": "../articles"}
    questions = lines[1:]
    assert all("needs-review" in q["tags"] for q in questions)
    by_source = {q["gold_sources"][0]: q for q in questions if "lead" in q["tags"]}
    assert by_source["zorbia_mayor.txt"]["question"] == (
        "The city of Zorbia elected who as its new mayor on Tuesday, officials said?"
    )
    assert by_source["zorbia_mayor.txt"]["expected_facts"] == [["Mira Quell"]]
    assert by_source["glorp_festival.txt"]["expected_facts"] == [["12,000 visitors"]]

    again = eval_command("--init", "articles", "--out", "evals/starter.jsonl", cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr  # never overwrites

    (tmp_path / "gates.toml").write_text("[starter]\nfact_recall = 0.5\ncitation_validity = 1.0\n")
    done = eval_command("evals/starter.jsonl", "--thresholds", "gates.toml", "--report", "rep", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    starter = report_of(tmp_path / "rep")["datasets"]["starter"]  # type: ignore[index]
    assert starter["metrics"]["questions"] == 6
    assert starter["metrics"]["fact_recall"] >= 0.5


def test_a_drafted_question_is_asked_as_of_its_articles_day(sample_bot: Assistant) -> None:
    """A lead's "today" ("confirmed during a phone call today") was asked today: refused ("None
    of them was published on ..."), the draft failed every later run."""
    rows = questions(CORPUS, Settings.from_mapping({}))
    dated = {r["gold_sources"][0]: r.get("as_of") for r in rows}
    assert dated["000_6ad6e53ae49aa3fe.txt"] == "2022-02-12" and dated["001_660320b987047e91.txt"] == "2022-01-28"
    assert dated["002_26d29b4b9797d869.txt"] is None  # no day stated: asked as written
    today = next(r for r in rows if "phone call today" in r["question"])
    answer = sample_bot.ask(today["question"], as_of=today["as_of"])
    assert not answer.abstained and today["expected_facts"][0][0] in answer.text, answer.text


def test_an_article_of_an_archive_is_a_gold_source_by_its_record(tmp_path: Path) -> None:
    """A corpus of archives: "news.jsonl" names many articles, "news.jsonl#2" the second."""
    (tmp_path / "articles").mkdir()
    records = [
        {"title": "Ferry resumes", "text": "The Kvarn ferry resumed sailing on Tuesday after repairs, the operator said."},
        {"title": "Mine closes", "text": "The Trisk salt mine closed on Wednesday after ninety years, its owner said."},
    ]
    write_jsonl(tmp_path / "articles" / "news.jsonl", records)  # type: ignore[arg-type]
    question = {
        "id": "a-1", "question": "When did the Trisk salt mine close?", "answerable": True,
        "expected_facts": [["Wednesday"]], "gold_sources": ["news.jsonl#2"], "reference_answer": "On Wednesday.", "tags": [],
    }
    dataset = write_jsonl(tmp_path / "ds.jsonl", [{"corpus": "articles"}, question])
    result = run_evals(Settings.from_mapping({}), [dataset], thresholds=Path("/dev/null"))
    [scored] = result.datasets[0].results
    assert scored.gold_rank == 1 and scored.facts_found, scored


def test_init_drafts_questions_from_an_archives_records(tmp_path: Path) -> None:
    """`eval --init` drafted nothing from a corpus of archives (a JSON Lines export of a news
    site): its records are articles too, named as ingest names them, and the drafts are asked."""
    (tmp_path / "articles").mkdir()
    records = [
        {"title": "Ferry resumes", "text": "The Kvarn ferry resumed sailing on Tuesday after repairs, the operator said."},
        {"title": "Mine closes", "text": "The Trisk salt mine closed after ninety years, its owner Halda Brenn said."},
    ]
    write_jsonl(tmp_path / "articles" / "news.jsonl", records)  # type: ignore[arg-type]
    (tmp_path / "articles" / "notes.json").write_text('{"reviewer": "me"}', encoding="utf-8")  # not an archive
    rows = questions(tmp_path / "articles", Settings.from_mapping({}))
    leads = {r["gold_sources"][0]: r for r in rows if "lead" in r["tags"]}
    assert set(leads) == {"news.jsonl#1", "news.jsonl#2"}, rows
    assert leads["news.jsonl#2"]["expected_facts"] == [["Halda Brenn"]]
    assert not list(tmp_path.glob("articles/*/*.txt"))  # nothing written beside the corpus
    dataset = write_jsonl(tmp_path / "ds.jsonl", [{"corpus": "articles"}, *rows])
    result = run_evals(Settings.from_mapping({}), [dataset], thresholds=Path("/dev/null"))
    assert {r.gold_rank for r in result.datasets[0].results} == {1}


def test_pick_fact_prefers_names_then_numbers_then_dates() -> None:
    assert pick_fact("Engineers from Halvard Brothers replaced 212 steel cables.") == (
        "Halvard Brothers",
        "Engineers from who replaced 212 steel cables?",
    )
    assert pick_fact("The bridge reopened on Monday after 4 years of repairs.") == (
        "4 years",
        "The bridge reopened on Monday after how many of repairs?",
    )
    assert pick_fact("The bridge in Tolk reopened on Monday.") == (
        "Tolk",
        "The bridge in what reopened on Monday?",
    )
    assert pick_fact("Officials said it reopened on Monday.") == (
        "Monday",
        "Officials said it reopened when?",
    )
    assert pick_fact("nothing to ask about here at all.") is None


SHARED_NAMES = {  # two articles of one file name in two folders, beside a third
    "2024/story.txt": "Harbor Town Opens New Ferry Terminal\n\nThe city of Harbor Town opened a new ferry "
    "terminal on the eastern pier on Monday, mayor Lisa Brandt said. The terminal cost 12 million euros and "
    "will serve four ferry lines to the islands.\n",
    "2025/story.txt": "Mountain Village Elects First Woman Mayor\n\nVoters in the mountain village of "
    "Kellerbach elected Sofia Marenko as their first woman mayor on Sunday. Marenko won 61 percent of the "
    "vote against the incumbent, Tomas Wirth.\n",
    "bridge.txt": "Zorblat Bridge\n\nThe Zorblat Bridge is a suspension bridge over the river Amsel in "
    "the city of Drelingen. The bridge was designed by the engineer Marta Quell.\n",
}


def _question(qid: str, question: str, fact: str, source: str) -> dict[str, object]:
    return {
        "id": qid,
        "question": question,
        "answerable": True,
        "expected_facts": [[fact]],
        "gold_sources": [source],
        "reference_answer": fact,
        "tags": ["single-article"],
    }


def test_files_of_one_name_in_two_folders_are_told_apart(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    for name, text in SHARED_NAMES.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    rows = [
        _question("ferry", "How much did Harbor Town's new ferry terminal cost?", "12 million euros", "2024/story.txt"),
        _question("mayor", "Who did the voters of Kellerbach elect as mayor?", "Sofia Marenko", "2025/story.txt"),
        _question("designer", "Who designed the Zorblat Bridge?", "Marta Quell", "bridge.txt"),  # a unique name
    ]
    dataset = write_jsonl(tmp_path / "mine.jsonl", rows)
    result = run_evals(Settings.from_mapping({}), [dataset], thresholds=Path("/dev/null"), corpus=corpus)
    assert {r.id: r.gold_rank for r in result.datasets[0].results} == {"ferry": 1, "mayor": 1, "designer": 1}

    ambiguous = write_jsonl(tmp_path / "bare.jsonl", [{**rows[0], "gold_sources": ["story.txt"]}])
    with pytest.raises(ConfigError, match=r"story.txt is 2024/story.txt and 2025/story.txt"):
        run_evals(Settings.from_mapping({}), [ambiguous], thresholds=Path("/dev/null"), corpus=corpus)

    drafted = questions(corpus, Settings.from_mapping({}))  # `eval --init`: paths where names repeat
    assert {q["gold_sources"][0] for q in drafted} == {"2024/story.txt", "2025/story.txt", "bridge.txt"}
