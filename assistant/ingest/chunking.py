"""Token-aware, sentence-aligned chunks of an article's story."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.cleaning import Line
from assistant.ingest.sentences import Span, split_sentences
from assistant.tokens import count_tokens

# A sentence longer than a chunk still stays whole up to about the embedding
# model's window (256 word pieces); only longer ones are cut at word boundaries.
LONGEST_SENTENCE_TOKENS = 220


@dataclass(frozen=True)
class Sentence:
    """A sentence of the plain text: its text is plain[start:end]."""

    text: str
    start: int
    end: int
    paragraph: int
    tokens: int


@dataclass(frozen=True)
class Chunk:
    index: int
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        parts: list[str] = []
        for i, sentence in enumerate(self.sentences):
            if i:
                same_paragraph = sentence.paragraph == self.sentences[i - 1].paragraph
                parts.append(" " if same_paragraph else "\n\n")
            parts.append(sentence.text)
        return "".join(parts)

    @property
    def tokens(self) -> int:
        return sum(s.tokens for s in self.sentences)

    def local_offsets(self) -> list[tuple[int, int]]:
        """Where each sentence lies in `text`."""
        offsets, cursor = [], 0
        for i, sentence in enumerate(self.sentences):
            if i:
                same_paragraph = sentence.paragraph == self.sentences[i - 1].paragraph
                cursor += 1 if same_paragraph else 2
            offsets.append((cursor, cursor + len(sentence.text)))
            cursor += len(sentence.text)
        return offsets


def _pieces(text: str, span: Span, max_tokens: int) -> list[tuple[Span, int]]:
    """Split a sentence longer than a chunk at word boundaries; each piece with its tokens."""
    tokens = count_tokens(text[span.start : span.end])
    if tokens <= max_tokens:
        return [(span, tokens)]
    pieces, piece_start, last_end = [], span.start, span.start
    for word in re.finditer(r"\S+", text[span.start : span.end]):
        word_end = span.start + word.end()
        if count_tokens(text[piece_start:word_end]) > max_tokens and last_end > piece_start:
            pieces.append(Span(piece_start, last_end))
            piece_start = span.start + word.start()
        last_end = word_end
    pieces.append(Span(piece_start, last_end))
    return [(piece, count_tokens(text[piece.start : piece.end])) for piece in pieces]


def story_sentences(text: str, body: list[Line], max_tokens: int) -> list[Sentence]:
    sentences = []
    for paragraph, line in enumerate(body):
        for span in split_sentences(text, line.start, line.end):
            for piece, tokens in _pieces(text, span, max(max_tokens, LONGEST_SENTENCE_TOKENS)):
                sentences.append(Sentence(text[piece.start : piece.end], piece.start, piece.end, paragraph, tokens))
    return sentences


def chunk_sentences(sentences: list[Sentence], chunk_tokens: int, overlap_tokens: int) -> list[Chunk]:
    """Pack consecutive sentences into chunks of at most `chunk_tokens`.

    Each chunk after the first repeats the previous chunk's last sentences, up
    to `overlap_tokens`, so a fact split across a boundary is whole somewhere.
    """
    chunks: list[Chunk] = []
    current: list[Sentence] = []
    for sentence in sentences:
        if current and sum(s.tokens for s in current) + sentence.tokens > chunk_tokens:
            chunks.append(Chunk(len(chunks), tuple(current)))
            carried: list[Sentence] = []
            for previous in reversed(current):
                if sum(s.tokens for s in carried) + previous.tokens > overlap_tokens:
                    break
                carried.insert(0, previous)
            if sum(s.tokens for s in carried) + sentence.tokens > chunk_tokens:
                carried = []
            current = carried
        current.append(sentence)
    if current:
        chunks.append(Chunk(len(chunks), tuple(current)))
    return chunks
