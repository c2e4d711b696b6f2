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
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reader_data import NEWS_ARTICLE_BASE, NEWS_OUT
from train_reader import DEFAULT_OUT, Instance, is_validation, load_instances
from verifier_model import Cross, base_model_dir, export, tensors

from assistant.answer.synthesis import prior_score
from assistant.answer.verifier import Verifier, pair_tokenizer, to_verify
from assistant.shipped import build_dir

OUT_DIR = build_dir() / "verifier"
LOGITS = OUT_DIR / "logits.pickle"
CORPORA = ("whole", "news", "news_topic")
SEED = 20261204
LEARNING_RATE = 4e-5
BATCH = 32
EPOCHS = 1
WARMUP = 0.06
NEGATIVES = 5  # a question's negative pairs at most


def half_of(article: int) -> str:
    """"A" or "B": training articles and topics alternate, in order."""
    if article >= NEWS_ARTICLE_BASE:
        return "A" if (article - NEWS_ARTICLE_BASE) % 2 == 0 else "B"
    return "A" if article % 2 == 0 else "B"


def scorer_of(article: int) -> str:
    """The verifier whose log-odds a reading of this article gets: the one that did not train on
    it; the validation articles get the shipped one's, A's."""
    return "A" if is_validation(article) or half_of(article) == "B" else "B"


def pairs(instances: list[Instance]) -> list[tuple[str, str, int]]:
    """(question, sentence, label) for training, each pair once: every sentence that answers the
    question, and of those `to_verify` chooses that hold no accepted answer, the NEGATIVES that
    rank best in any of the question's readings."""
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
        found += [(question, text, 1) for text in sorted(texts)]
        ranked = sorted(negative.get(question, {}).items(), key=lambda item: (item[1], item[0]))
        found += [(question, text, 0) for text, _ in ranked if text not in texts][:NEGATIVES]
    return found


def train(examples: list[tuple[str, str, int]], out: Path) -> None:
    from transformers import AutoModel

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    tokenizer = pair_tokenizer(base_model_dir() / "tokenizer.json")
    encoded = [(tokenizer.encode(q, s), label) for q, s, label in examples]
    rng = random.Random(SEED)
    order = list(range(len(encoded)))
    rng.shuffle(order)
    # batches of similar length (padding is most of the cost), in random order
    chunks = [order[i : i + BATCH * 50] for i in range(0, len(order), BATCH * 50)]
    batches = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(encoded[i][0].ids))
        batches += [chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH)]
    rng.shuffle(batches)
    model = Cross(AutoModel.from_pretrained(str(base_model_dir())))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = len(batches) * EPOCHS
    warmup = int(WARMUP * steps)

    def rate(step: int) -> float:
        return step / max(warmup, 1) if step < warmup else max(0.0, (steps - step) / max(steps - warmup, 1))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started, running = time.perf_counter(), 0.0
    for step, batch in enumerate(batches * EPOCHS):
        ids, mask, types = tensors([encoded[i][0] for i in batch])
        labels = torch.tensor([float(encoded[i][1]) for i in batch])
        loss = loss_fn(model(ids, mask, types), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        running = 0.98 * running + 0.02 * float(loss) if step else float(loss)
        if step % 50 == 0 or step == steps - 1:
            elapsed = time.perf_counter() - started
            print(
                f"step {step + 1}/{steps} loss {running:.3f} {elapsed:.0f} s "
                f"(eta {elapsed / (step + 1) * (steps - step - 1):.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    model.eval()
    export(model, out)
    print(f"trained in {time.perf_counter() - started:.0f} s: {out}", file=sys.stderr)


def score(instances: list[Instance], models: dict[str, Path]) -> dict[tuple[str, str, str], float]:
    """The log-odds of every (question, sentence) that `to_verify` chooses in any reading, by the
    verifier that did not train on it: half A's readings by B's, B's and the validation ones by A's."""
    tokenizer = base_model_dir() / "tokenizer.json"
    verifiers = {half: Verifier(path, tokenizer, threads=2) for half, path in models.items()}
    wanted: dict[str, set[tuple[str, str]]] = {"A": set(), "B": set()}
    for instance in instances:
        scorer = scorer_of(instance.article)
        for i in to_verify([prior_score(r) for r in instance.rows]):
            wanted[scorer].add((instance.view.text, instance.sentences[i].text))
    found: dict[tuple[str, str, str], float] = {}  # (scorer, question, sentence)
    started = time.perf_counter()
    for half, keys in wanted.items():
        print(f"scoring {len(keys)} pairs with {half}", file=sys.stderr, flush=True)
        by_question: dict[str, list[str]] = {}
        for question, sentence in sorted(keys):
            by_question.setdefault(question, []).append(sentence)
        for n, (question, sentences) in enumerate(by_question.items()):
            for sentence, logit in zip(sentences, verifiers[half].logits(question, sentences)):
                found[(half, question, sentence)] = float(logit)
            if n % 500 == 0:
                print(f"  {n}/{len(by_question)} questions {time.perf_counter() - started:.0f} s", file=sys.stderr,
                      flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=("A", "B"), help="train the verifier of this half")
    parser.add_argument("--score", action="store_true", help=f"score every reading's sentences into {LOGITS}")
    parser.add_argument("--limit", type=int, default=0, help="train on this many pairs only (a quick try)")
    args = parser.parse_args(argv)
    if not args.half and not args.score:
        parser.error("say --half A, --half B or --score")
    instances = [
        i for i in load_instances(DEFAULT_OUT, NEWS_OUT, reuse_features=True) if i.corpus in CORPORA
    ]
    if args.half:
        chosen = [i for i in instances if not is_validation(i.article) and half_of(i.article) == args.half]
        examples = pairs(chosen)
        if args.limit:
            examples = random.Random(SEED).sample(examples, args.limit)
        positive = sum(label for _, _, label in examples)
        print(f"half {args.half}: {len(chosen)} readings, {len(examples)} pairs, {positive} positive",
              file=sys.stderr, flush=True)
        train(examples, OUT_DIR / f"verifier-{args.half}.onnx")
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
