"""The textbook LlamaIndex pipeline, run on the same questions for comparison.

SimpleDirectoryReader -> VectorStoreIndex over a fresh Chroma collection, with the
default SentenceSplitter and the same MiniLM embeddings, then a top-5 retriever.
It has no answer step: its "answer" for fact recall is the text of the top two
retrieved chunks, which is generous to it (a whole chunk holds far more words
than an answer, so it contains the expected strings more easily).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.evals.dataset import EvalQuestion
from assistant.evals.metrics import fact_groups
from assistant.search.embedding import MiniLMEmbedder
from assistant.search.llama_embedding import LlamaIndexMiniLM

TOP_K = 5
ANSWER_NODES = 2


@dataclass(frozen=True)
class TextbookScores:
    hit_at_1: float | None
    hit_at_5: float | None
    mrr: float | None
    fact_recall: float | None
    chunks: int

    def to_dict(self) -> dict[str, float | None]:
        return {
            "hit_at_1": self.hit_at_1,
            "hit_at_5": self.hit_at_5,
            "mrr": self.mrr,
            "fact_recall": self.fact_recall,
        }


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@contextmanager
def _quiet_reader() -> Iterator[None]:
    """SimpleDirectoryReader warns once per file that llama-index-readers-file (PDF, DOCX…) is
    missing; plain-text files need none of it."""
    reader_log = logging.getLogger("llama_index.core.readers.file.base")
    level = reader_log.level
    reader_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        reader_log.setLevel(level)


def run_textbook(corpus: Path, questions: Sequence[EvalQuestion], embedder: MiniLMEmbedder) -> TextbookScores:
    with _quiet_reader():
        documents = SimpleDirectoryReader(str(corpus)).load_data()
    with tempfile.TemporaryDirectory(prefix="textbook-") as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.create_collection("textbook")
        store = ChromaVectorStore(chroma_collection=collection)
        index = VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(vector_store=store),
            embed_model=LlamaIndexMiniLM(embedder),
        )
        retriever = index.as_retriever(similarity_top_k=TOP_K)
        reciprocal: list[float] = []
        hits: dict[int, list[float]] = {1: [], 5: []}
        facts: list[float] = []
        for question in questions:
            if not question.answerable:
                continue
            nodes = retriever.retrieve(question.question)
            files = list(dict.fromkeys(str(n.node.metadata.get("file_name", "")) for n in nodes))
            ranks = [i + 1 for i, name in enumerate(files) if name in question.gold_sources]
            rank = ranks[0] if ranks else None
            reciprocal.append(1.0 / rank if rank else 0.0)
            for k, values in hits.items():
                values.append(1.0 if rank is not None and rank <= k else 0.0)
            answer = "\n".join(n.node.get_content() for n in nodes[:ANSWER_NODES])
            facts.append(1.0 if all(fact_groups(answer, question.expected_facts)) else 0.0)
        return TextbookScores(
            _mean(hits[1]), _mean(hits[5]), _mean(reciprocal), _mean(facts), collection.count()
        )
