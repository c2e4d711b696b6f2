"""The package as pip users get it: a wheel built from the checkout, installed into a fresh
virtualenv in a temporary folder, run there with no checkout beside it.

The venv is made without pip and gets only the wheel (`pip --python VENV install --no-deps
--no-index WHEEL`); its third-party dependencies come from this test's own environment through
a .pth line (that folder is added to sys.path as is: its editable install of this checkout is
not activated), so the test runs offline. `assistant` is asserted to come from the wheel.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.search.embedding import default_model_dir
from tests.conftest import REPO
from tests.test_eval_own_corpus import GATES, QUESTIONS, write_corpus, write_jsonl

pytestmark = pytest.mark.slow


def checkout_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if (REPO / line).is_file()]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the wheel of this checkout, and nothing of the checkout."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"  # a copy, so that building leaves nothing in the checkout
    for name in checkout_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((REPO / name).read_bytes())
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("news_assistant-*.whl")

    env_dir = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    python = env_dir / "bin" / "python"
    installed = subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "dependencies-from-the-test-env.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    return env_dir


def run_installed(venv: Path, *args: str, cwd: Path, model: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_"))}
    env.pop("PYTHONPATH", None)
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", HOME=str(cwd))
    if model:  # the model this test environment exported; the new venv has none of its own
        env["ASSISTANT_MODEL_DIR"] = str(default_model_dir())
    return subprocess.run(
        [str(venv / "bin" / "assistant"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_installed_package_is_the_wheel(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import assistant, assistant.shipped as s; print(assistant.__file__, s.installed())",
        ],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        capture_output=True,
        text=True,
        check=True,
    )
    location, installed = probe.stdout.split()
    assert Path(location).is_relative_to(venv) and installed == "True"
    assert not Path(location).is_relative_to(REPO)

    version = run_installed(venv, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("assistant ")

    no_model = run_installed(venv, "ask", "Who?", cwd=tmp_path, model=False)
    assert no_model.returncode == 1
    assert "is not installed in " + str(venv) in no_model.stderr
    assert "Run `assistant setup` once" in no_model.stderr


def test_eval_on_our_own_corpus_from_the_installed_package(venv: Path, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "articles")
    write_jsonl(tmp_path / "ours.jsonl", QUESTIONS)
    (tmp_path / "gates.toml").write_text(f"[ours]\n{GATES}", encoding="utf-8")
    done = run_installed(
        venv,
        "eval",
        "ours.jsonl",
        "--corpus",
        "articles",
        "--thresholds",
        "gates.toml",
        "--report",
        "rep",
        "--junit",
        "rep/junit.xml",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "rep" / "report.json").read_text(encoding="utf-8"))
    ours = report["datasets"]["ours"]
    assert Path(ours["corpus"]).resolve() == corpus.resolve()
    assert ours["metrics"]["questions"] == 3 and ours["metrics"]["fact_recall"] == 1.0
    assert (tmp_path / "rep" / "junit.xml").is_file()

    # A missed gate fails the run, as CI needs.
    (tmp_path / "strict.toml").write_text("[ours]\nlatency_p50_ms_max = 0.001\n", encoding="utf-8")
    missed = run_installed(
        venv, "eval", "ours.jsonl", "--corpus", "articles", "--thresholds", "strict.toml", cwd=tmp_path
    )
    assert missed.returncode == 1 and "BELOW THRESHOLD" in missed.stdout


def test_shipped_dataset_and_prompts_from_the_installed_package(venv: Path, tmp_path: Path) -> None:
    shipped = next((venv / "lib").glob("python3*/site-packages/assistant/_shipped"))
    assert {p.name for p in (shipped / "prompts").glob("*.txt")} == {
        p.name for p in (REPO / "prompts").glob("*.txt")
    }
    done = run_installed(
        venv, "eval", str(shipped / "evals" / "datasets" / "sample_news.jsonl"), "--limit", "4", cwd=tmp_path
    )
    assert done.returncode in (0, 1), done.stderr  # 4 questions need not meet the gates of 71
    report = json.loads((tmp_path / "reports" / "evals" / "report.json").read_text(encoding="utf-8"))
    sample = report["datasets"]["sample_news"]
    assert Path(sample["corpus"]) == shipped / "corpus"
    assert sample["ingest"].startswith("added 5") and sample["metrics"]["questions"] == 4



def test_the_wheel_ships_what_the_code_reads() -> None:
    """Every `shipped("...")` the package reads lies in what setup.py copies into the wheel
    (setup.py cannot import the package it builds, so it names the folders itself: the same
    list as `assistant.shipped.SHIPPED`)."""
    import ast

    from assistant import shipped

    setup = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    named = next(
        node.value
        for node in setup.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SHIPPED" for t in node.targets)
    )
    assert ast.literal_eval(named) == shipped.SHIPPED
    read = {
        node.args[0].value
        for path in (REPO / "assistant").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "shipped"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert {"prompts", "corpus", "evals/data/squad-dev-v1.1-part1.json"} <= read
    for relative in read:
        assert any(
            relative == entry or relative.startswith(f"{entry}/") or entry.startswith(f"{relative}/")
            for entry in shipped.SHIPPED
        ), f"{relative} is read but not shipped"
