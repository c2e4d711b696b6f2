"""Write assistant/search/data/english_stems.tsv.gz: how rare each word stem is in English.

    pip install wordfreq==3.1.1        # or: pip install -e ".[train]"
    python training/build_background.py

The reader's IDF weights come from the index and move with its size and topic (the words of a
three-article story weigh nothing there); the table gives it weights that mean the same in every
index (`assistant/search/background.py`). Each word of wordfreq's "large" English list is
split and stemmed as the lexical index does it; a stem's frequency is the sum of its words';
a line is `stem<TAB>-log10(frequency)`, for frequencies down to 10^-8, sorted by the stem's
UTF-8 bytes (the assistant searches the lines in place).

wordfreq is by Robyn Speer (Apache-2.0); its word lists are CC BY-SA 4.0, built from Wikipedia,
subtitles (OpenSubtitles, SUBTLEX), news (NewsCrawl, GlobalVoices), books (Google Books Ngrams),
the web (OSCAR), Twitter and Reddit; the table derived from them is shared under CC BY-SA 4.0.
"""

from __future__ import annotations

import gzip
import math
from collections import Counter

import wordfreq

from assistant.search.background import TABLE
from assistant.search.lexical import stems, words

LOWEST = 1e-8


def main() -> None:
    frequencies: Counter[str] = Counter()
    for word, frequency in wordfreq.get_frequency_dict("en", wordlist="large").items():
        found = words(word)
        if len(found) == 1:
            frequencies[stems(found)[0]] += frequency
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(TABLE, "wb", mtime=0) as raw:  # the same bytes every run
        for stem, frequency in sorted(frequencies.items(), key=lambda kv: kv[0].encode("utf-8")):
            if frequency >= LOWEST and "\t" not in stem and "\n" not in stem:
                raw.write(f"{stem}\t{-math.log10(frequency):.2f}\n".encode())
    print(f"{TABLE}: {len(frequencies)} stems")


if __name__ == "__main__":
    main()
