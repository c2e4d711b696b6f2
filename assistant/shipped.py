"""Files the project ships beside its code: prompts, eval datasets and thresholds, the SQuAD part,
the sample corpus.

In a checkout (or an editable install) they are where they are kept, at the top of the checkout;
a built wheel carries a copy of them inside the package (`assistant/_shipped/`, written by
setup.py), so an installed `assistant` finds them with no checkout beside it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PACKAGED = PACKAGE / "_shipped"
CHECKOUT = PACKAGE.parent
# What setup.py copies into the wheel; paths relative to the top of the checkout.
SHIPPED = ("prompts", "evals/datasets", "evals/data", "evals/thresholds.toml", "corpus")


def installed() -> bool:
    """True when running from a built package (wheel) rather than a checkout."""
    return PACKAGED.is_dir()


def shipped(relative: str) -> Path:
    """The shipped file or folder `relative` (e.g. "prompts"), wherever this copy of the code keeps it."""
    return (PACKAGED if installed() else CHECKOUT) / relative


def build_dir() -> Path:
    """Where products built from shipped data go (the SQuAD corpus): build/ in a checkout; in an
    installed package, ~/.cache/news-assistant."""
    return Path.home() / ".cache" / "news-assistant" if installed() else CHECKOUT / "build"
