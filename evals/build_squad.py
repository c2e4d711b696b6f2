"""Build the SQuAD eval corpus (build/squad_corpus/) and the committed question sample.

    python evals/build_squad.py [--source PATH] [--corpus-out DIR] [--sample-out FILE]

The eval runner rebuilds the corpus by itself when it is missing; run this script
only to regenerate evals/datasets/squad_sample.jsonl and squad_validation.jsonl (seeded,
so the same source gives the same sample).

    python evals/build_squad.py --development FILE

writes instead FILE, 300 questions of the reader's training articles asked the way
squad_validation's are: a development set to try a change of the answer step on before it is
measured on the held-out one (`assistant eval FILE`). It is not committed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.evals import squad

DEVELOPMENT_SIZE = 300


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=squad.DEFAULT_SOURCE, help="SQuAD v1.1 JSON file")
    parser.add_argument(
        "--corpus-out", type=Path, default=squad.DEFAULT_CORPUS, help="folder of paragraph files"
    )
    parser.add_argument(
        "--sample-out", type=Path, default=squad.DEFAULT_SAMPLE, help="question sample (JSONL)"
    )
    parser.add_argument(
        "--validation-out",
        type=Path,
        default=squad.DEFAULT_VALIDATION,
        help="questions of the reader's validation articles, with gold-removed near misses (JSONL)",
    )
    parser.add_argument("--size", type=int, default=squad.SAMPLE_SIZE, help="questions to sample")
    parser.add_argument("--seed", type=int, default=squad.SEED)
    parser.add_argument("--development", type=Path, metavar="FILE", help="write a development set of the training articles")
    args = parser.parse_args(argv)
    if args.development:
        corpus = squad.ensure_corpus(args.source, args.corpus_out).resolve()
        development = squad.validation_questions(args.source, DEVELOPMENT_SIZE, args.seed, held_out=False)
        squad.write_sample([{"corpus": str(corpus)}, *development], args.development)
        print(f"wrote {len(development)} questions of the training articles to {args.development}")
        return 0
    try:
        files = squad.write_corpus(args.source, args.corpus_out)
        rows = squad.sample_questions(args.source, args.size, args.seed)
        validation = squad.validation_questions(args.source, squad.VALIDATION_SIZE, args.seed)
    except AssistantError as exc:
        print(f"build_squad: {exc}", file=sys.stderr)
        return 1
    squad.write_sample(rows, args.sample_out)
    squad.write_sample(validation, args.validation_out)
    print(
        f"wrote {files} paragraph files to {args.corpus_out}, {len(rows)} questions to {args.sample_out}"
        f" and {len(validation)} to {args.validation_out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
