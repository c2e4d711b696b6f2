"""The CI recipe for grounding evals: valid for actionlint, the steps the README promises, and
shown in the README exactly as it is in the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "grounding-evals.yml"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is missing: pip install -e '.[dev]' (make install) installs it")
    return found


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-no-color", str(path)], capture_output=True, text=True, timeout=60, cwd=REPO
    )


def test_the_workflow_passes_actionlint() -> None:
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_copy(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    broken = folder / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("steps.model.outputs.cache-hit", "steps.modle.outputs.cache-hit"))
    result = lint(broken)
    assert result.returncode == 1 and "modle" in result.stdout


def test_the_workflow_installs_caches_ingests_evaluates_and_uploads() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for step in (
        "pip install .",
        "actions/cache@",
        "assistant setup --target",
        " ingest ",
        "assistant eval",
        "--junit reports/evals/junit.xml",
        "actions/upload-artifact@",
    ):
        assert step in text, step
    assert "continue-on-error" not in text  # a missed threshold fails the job


def test_the_readme_shows_the_workflow_as_it_is() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Grounding evals in your CI" in readme
    assert f"```yaml\n{WORKFLOW.read_text(encoding='utf-8')}```" in readme
