"""Train the answer verifier (assistant/answer/verifier.py): all-MiniLM-L6-v2 fine-tuned as a
cross-encoder on question/sentence pairs, exported to ONNX and quantised to int8.

    python training/train_verifier.py --half A      # trained on half A of the training articles
    python training/train_verifier.py --half B
    python training/train_verifier.py --score       # every reading's sentences, cross-fitted
    python training/train_reader.py --verifier ...  # the trees, reading its log-odds

Pairs come from the readings train_reader.py builds (build/reader/instances.pickle and the
constructed news): for each question, every sentence of its passages that holds an accepted
answer and is of its paragraph (positive), and the sentences `verifier.to_verify` would read that
hold no accepted answer (negative; a near miss's are all negative); a sentence of another
paragraph that holds the answer's words is left out (it may or may not answer). Validation
articles and topics are never used.

Cross-fitting: the training articles and topics are split into halves A and B (alternately, in
order). A verifier trained on one half scores the other half's readings, so the trees learn how
far to trust it on questions it never saw; the validation readings are scored by A, the one
the assistant answers with (`ASSISTANT_VERIFIER_FILE=build/verifier/verifier-A.onnx`, beside the
reader file `train_reader.py --verifier` writes). None is shipped: training/README.md, "An answer
verifier trained on the news too", has what it measured.

Needs torch (CPU, `pip install torch==2.13.0`), transformers and onnx, as `assistant setup` does.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reader_data import NEWS_ARTICLE_BASE, NEWS_OUT
from train_reader import DEFAULT_OUT, Instance, is_validation, load_instances
from verifier_model import SEED, Pair, base_model_dir, train, write_device_folder
from verifier_model import score as score_pairs

from assistant.answer.synthesis import prior_score
from assistant.answer.verifier import pair_tokenizer, to_verify
from assistant.shipped import build_dir

OUT_DIR = build_dir() / "verifier"
LOGITS = OUT_DIR / "logits.pickle"
CORPORA = ("whole", "news", "news_topic")
EPOCHS = 1
NEGATIVES = 5  # a question's negative pairs at most
MAX_NEGATIVES = 8  # `--prepare` keeps this many, for the device to choose from (`to_verify` reads 8)


def half_of(article: int) -> str:
    """"A" or "B": training articles and topics alternate, in order."""
    if article >= NEWS_ARTICLE_BASE:
        return "A" if (article - NEWS_ARTICLE_BASE) % 2 == 0 else "B"
    return "A" if article % 2 == 0 else "B"


def scorer_of(article: int) -> str:
    """The verifier whose log-odds a reading of this article gets: the one that did not train on
    it; the validation articles get the shipped one's, A's."""
    return "A" if is_validation(article) or half_of(article) == "B" else "B"


def ranked_pairs(instances: list[Instance], negatives: int) -> list[tuple[str, str, int, int]]:
    """(question, sentence, label, place) for training, each pair once: every sentence that answers
    the question (place -1), and of those `to_verify` chooses that hold no accepted answer, the
    `negatives` that rank best in any of the question's readings (place 0, 1, ... in that order)."""
    positive: dict[str, set[str]] = {}
    negative: dict[str, dict[str, int]] = {}
    for instance in instances:
        question = instance.view.text
        for rank, n in enumerate(to_verify([prior_score(r) for r in instance.rows])):
            if not instance.contains[n]:
                ranks = negative.setdefault(question, {})
                text = instance.sentences[n].text
                ranks[text] = min(rank, ranks.get(text, rank))
        positive.setdefault(question, set()).update(
            s.text for s, label in zip(instance.sentences, instance.labels) if label
        )
    found = []
    for question, texts in positive.items():
        found += [(question, text, 1, -1) for text in sorted(texts)]
        ranked = sorted(negative.get(question, {}).items(), key=lambda item: (item[1], item[0]))
        kept = [text for text, _ in ranked if text not in texts][:negatives]
        found += [(question, text, 0, place) for place, text in enumerate(kept)]
    return found


def pairs(instances: list[Instance], negatives: int = NEGATIVES) -> list[tuple[str, str, int]]:
    """(question, sentence, label) for training: `ranked_pairs` without the places."""
    return [(q, s, label) for q, s, label, _ in ranked_pairs(instances, negatives)]


def _encoded(tokenizer: Tokenizer, texts: list[tuple[str, str]]) -> list[Pair]:
    return [(e.ids, e.type_ids) for e in tokenizer.encode_batch(texts)]


def to_score(instances: list[Instance]) -> dict[str, list[tuple[str, str]]]:
    """(question, sentence) of every reading's sentences that `to_verify` chooses, by the verifier
    that did not train on the reading (`scorer_of`), in a fixed order."""
    wanted: dict[str, set[tuple[str, str]]] = {"A": set(), "B": set()}
    for instance in instances:
        scorer = scorer_of(instance.article)
        for i in to_verify([prior_score(r) for r in instance.rows]):
            wanted[scorer].add((instance.view.text, instance.sentences[i].text))
    return {half: sorted(keys) for half, keys in wanted.items()}


def prepare(instances: list[Instance], work: Path) -> None:
    """What training/verifier_device.py needs, in `work`/device (carry that folder to the GPU
    machine; `verifier_model.write_device_folder`): each half's training pairs with up to
    MAX_NEGATIVES negatives a question, and the pairs to score. The texts of the pairs to score
    stay in `work`/keys.pickle, for `--collect`."""
    tokenizer = pair_tokenizer(base_model_dir() / "tokenizer.json")
    training = {}
    for half in ("A", "B"):
        chosen = [i for i in instances if not is_validation(i.article) and half_of(i.article) == half]
        found = ranked_pairs(chosen, MAX_NEGATIVES)
        training[half] = (
            _encoded(tokenizer, [(q, s) for q, s, _, _ in found]),
            [label for _, _, label, _ in found],
            [place for _, _, _, place in found],
        )
        print(f"half {half}: {len(chosen)} readings, {len(found)} pairs, "
              f"{sum(label for _, _, label, _ in found)} positive", file=sys.stderr, flush=True)
    keys = to_score(instances)
    scoring = {half: _encoded(tokenizer, wanted) for half, wanted in keys.items()}
    print(", ".join(f"{len(w)} pairs to score with {h}" for h, w in keys.items()), file=sys.stderr, flush=True)
    size = write_device_folder(work / "device", training, scoring)
    with (work / "keys.pickle").open("wb") as handle:
        pickle.dump(keys, handle)
    print(f"{work / 'device'}: {size / 1e6:.1f} MB to carry", file=sys.stderr)


def collect(work: Path, name: str, found: Path) -> None:
    """The device's results (`found`: its $OUT) of the run called `name`: verifier A's file,
    joined from its parts, and the log-odds, keyed as `--score` keys them, in
    `work`/`name`/ (verifier-A.onnx, logits.pickle)."""
    with (work / "keys.pickle").open("rb") as handle:
        keys: dict[str, list[tuple[str, str]]] = pickle.load(handle)  # our own file, from --prepare
    out = work / name
    out.mkdir(parents=True, exist_ok=True)
    model = out / "verifier-A.onnx"
    parts = sorted(found.glob(f"{name}.A.onnx.part*"), key=lambda p: int(p.name.rsplit("part", 1)[1]))
    if not parts:
        raise SystemExit(f"no {name}.A.onnx.part* in {found}")
    model.write_bytes(b"".join(p.read_bytes() for p in parts))
    scored = np.load(found / f"{name}.logits.npz")
    logits: dict[tuple[str, str, str], float] = {}
    for half, wanted in keys.items():
        values = scored[half]
        if len(values) != len(wanted):
            raise SystemExit(f"{half}: {len(values)} log-odds for {len(wanted)} pairs")
        logits.update({(half, q, s): float(v) for (q, s), v in zip(wanted, values)})
    answering = hashlib.sha256(model.read_bytes()).hexdigest()
    with (out / "logits.pickle").open("wb") as handle:
        pickle.dump({"verifier_sha256": answering, "logits": logits}, handle)
    print(f"{len(logits)} log-odds: {out / 'logits.pickle'}; answer with ASSISTANT_VERIFIER_FILE={model} "
          f"(sha256 {answering})", file=sys.stderr)


def score(instances: list[Instance], models: dict[str, Path]) -> dict[tuple[str, str, str], float]:
    """The log-odds of every (question, sentence) that `to_verify` chooses in any reading, by the
    verifier that did not train on it: half A's readings by B's, B's and the validation ones by A's."""
    tokenizer = pair_tokenizer(base_model_dir() / "tokenizer.json")
    found: dict[tuple[str, str, str], float] = {}  # (scorer, question, sentence)
    for half, wanted in to_score(instances).items():
        print(f"scoring {len(wanted)} pairs with {half}", file=sys.stderr, flush=True)
        values = score_pairs(models[half], _encoded(tokenizer, wanted), processes=2)
        found.update({(half, q, s): float(v) for (q, s), v in zip(wanted, values)})
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=("A", "B"), help="train the verifier of this half, here")
    parser.add_argument("--score", action="store_true", help=f"score every reading's sentences into {LOGITS}, here")
    parser.add_argument("--limit", type=int, default=0, help="train on this many pairs only (a quick try)")
    parser.add_argument("--prepare", type=Path, metavar="WORK",
                        help="write what training/verifier_device.py needs into WORK/device")
    parser.add_argument("--collect", nargs=2, metavar=("NAME", "FOUND"),
                        help="read verifier_device.py's results of run NAME from the folder FOUND into WORK/NAME "
                        "(with --work)")
    parser.add_argument("--work", type=Path, default=OUT_DIR / "device-run", help="for --collect (default %(default)s)")
    args = parser.parse_args(argv)
    if args.collect:
        collect(args.work, args.collect[0], Path(args.collect[1]))
        return 0
    if not args.half and not args.score and not args.prepare:
        parser.error("say --half A, --half B, --score, --prepare WORK or --collect NAME FOUND")
    instances = [
        i for i in load_instances(DEFAULT_OUT, NEWS_OUT, reuse_features=True) if i.corpus in CORPORA
    ]
    if args.prepare:
        prepare(instances, args.prepare)
        return 0
    if args.half:
        chosen = [i for i in instances if not is_validation(i.article) and half_of(i.article) == args.half]
        examples = pairs(chosen)
        if args.limit:
            examples = random.Random(SEED).sample(examples, args.limit)
        positive = sum(label for _, _, label in examples)
        print(f"half {args.half}: {len(chosen)} readings, {len(examples)} pairs, {positive} positive",
              file=sys.stderr, flush=True)
        tokenizer = pair_tokenizer(base_model_dir() / "tokenizer.json")
        encoded = _encoded(tokenizer, [(q, s) for q, s, _ in examples])
        train(list(zip(encoded, [label for _, _, label in examples])), base_model_dir(),
              OUT_DIR / f"verifier-{args.half}.onnx", epochs=EPOCHS)
    if args.score:
        models = {h: OUT_DIR / f"verifier-{h}.onnx" for h in ("A", "B")}
        logits = score(instances, models)
        answering = hashlib.sha256(models["A"].read_bytes()).hexdigest()  # the one answers are read with
        with LOGITS.open("wb") as handle:
            pickle.dump({"verifier_sha256": answering, "logits": logits}, handle)
        print(f"{len(logits)} log-odds: {LOGITS}", file=sys.stderr)
    if args.half == "A":
        print(f"answer with it: ASSISTANT_VERIFIER_FILE={OUT_DIR / 'verifier-A.onnx'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
