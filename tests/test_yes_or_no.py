"""Yes-or-no questions whose articles never tell what they ask whether happened are refused, and
those whose articles tell it in other words are not (near_misses.unsaid_words)."""

from __future__ import annotations

from pathlib import Path

from assistant.search.embedding import MiniLMEmbedder
from tests.conftest import bot_over

CEASEFIRE = (
    "Geneva Wire\n\nKarvonia and Tesmar sign ceasefire\n\nMarch 12, 2026\n\n"
    "GENEVA - Karvonia and Tesmar signed a ceasefire agreement in Geneva on Wednesday, halting eleven weeks of "
    "fighting along their disputed border. The agreement commits both governments to stop all shelling and to "
    "reopen the Veska border crossing to aid convoys within 72 hours. There were no deaths on either side on "
    "Wednesday, the monitors said. A joint commission will meet every week in Geneva.\n"
)
WATER_MAIN = (
    "Valley Courier\n\nBroken water main floods Quay Street\n\nMarch 14, 2026\n\n"
    "A broken water main flooded Quay Street on Friday, and about 40 homes were left without water. Engineers said "
    "the pipe had broken at a joint laid in 1931, and that the contractor who laid it had violated the rules of "
    "the time. Repairs are expected to take two days.\n"
)


def test_a_yes_or_no_question_whose_articles_never_tell_it_is_refused(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """"Has the ceasefire between Karvonia and Tesmar been broken?" was answered at 0.88
    confidence with the sentence that tells of its signing (a review of yes-or-no questions: 3
    of 20 near misses refused); "Did anyone die …?" of "There were no deaths" is told in other
    words, and answered. One word as common as "broken" untold is no sign."""
    bot = bot_over(tmp_path, embedder, {"ceasefire.txt": CEASEFIRE, "water.txt": WATER_MAIN})
    violated = bot.ask("Has the ceasefire between Karvonia and Tesmar been violated?")
    assert violated.abstained, violated.text
    assert violated.text == "The articles don't say. The sentences nearest the question never mention violated.", violated.text
    broken = bot.ask("Has the ceasefire between Karvonia and Tesmar been broken?")
    assert not broken.abstained, broken.text
    died = bot.ask("Did anyone die in the fighting between Karvonia and Tesmar on Wednesday?")
    assert not died.abstained and "no deaths" in died.text, died.text
    convoys = bot.ask("Will aid convoys be able to cross at Veska?")
    assert not convoys.abstained and "aid convoys" in convoys.text, convoys.text

