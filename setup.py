"""Builds the wheel with the files the code reads at run time (assistant/shipped.py): prompts,
eval datasets and thresholds, the SQuAD part and the sample corpus, copied into the package.
Everything else about the package is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("prompts", "evals/datasets", "evals/data", "evals/thresholds.toml", "corpus")  # = shipped.SHIPPED


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout, as they change
            return
        target = Path(self.build_lib) / "assistant" / "_shipped"
        shutil.rmtree(target, ignore_errors=True)
        for relative in SHIPPED:
            source = HERE / relative
            if source.is_dir():
                shutil.copytree(source, target / relative, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / relative)


setup(cmdclass={"build_py": BuildWithShippedFiles})
