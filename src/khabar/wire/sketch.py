"""Bottom-k sketches of word-shingle sets: how near-duplicate stories are measured, with no dependency.

A story becomes the set of its k-word shingles; each shingle is hashed once (CRC-32) and the
sketch keeps the ``SKETCH_SIZE`` smallest hashes (a bottom-k MinHash). A typical wire item has
fewer shingles than that, so its sketch *is* its set and comparisons are exact; longer stories
are compared on the part of the hash range both sketches cover, the standard bottom-k estimate.
``bench/wire_dedup.py`` measured this against exact sets, a k-permutation MinHash and datasketch.

Stored form: one format byte, the shingle count (uint32), then the sorted hashes (uint32 each).
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Hashable, Iterable

SHINGLE_WORDS = 3  # chosen by bench/wire_dedup.py
SKETCH_SIZE = 256
FORMAT = 1
_HEADER = struct.Struct("<BI")
_NO_LIMIT = 1 << 32
# Index a quarter of the hash range (plus each sketch's smallest hashes, for very short items): two stories
# sharing many shingles share indexed ones too, since the same shingle hashes alike in both.
_INDEX_BELOW = 1 << 30
_INDEX_SMALLEST = 8


@dataclass(frozen=True)
class Sketch:
    """A parsed signature: how many shingles the story had, and the smallest of their hashes."""

    count: int
    hashes: frozenset[int]
    limit: int  # every hash of the story below this is in ``hashes`` (all of them when the sketch is whole)

    @classmethod
    def of_shingles(cls, shingles: Iterable[str]) -> Sketch:
        everything = sorted({zlib.crc32(s.encode()) for s in shingles})
        kept = everything[:SKETCH_SIZE]
        limit = _NO_LIMIT if len(everything) <= SKETCH_SIZE else kept[-1] + 1
        return cls(len(everything), frozenset(kept), limit)

    @classmethod
    def parse(cls, data: bytes | memoryview | None) -> Sketch:
        data = bytes(data or b"")
        if len(data) < _HEADER.size or data[0] != FORMAT:
            return cls(0, frozenset(), _NO_LIMIT)
        _, count = _HEADER.unpack_from(data)
        hashes = struct.unpack_from(f"<{(len(data) - _HEADER.size) // 4}I", data, _HEADER.size)
        limit = hashes[-1] + 1 if hashes and count > len(hashes) else _NO_LIMIT  # truncated: known up to the last
        return cls(count, frozenset(hashes), limit)

    def to_bytes(self) -> bytes:
        hashes = sorted(self.hashes)
        return _HEADER.pack(FORMAT, self.count) + struct.pack(f"<{len(hashes)}I", *hashes)

    def index_keys(self) -> list[int]:
        """The hashes an index files this sketch under."""
        ordered = sorted(self.hashes)
        return [h for n, h in enumerate(ordered) if h < _INDEX_BELOW or n < _INDEX_SMALLEST]


def shingles(words: list[str], k: int = SHINGLE_WORDS) -> set[str]:
    """The k-word shingles of ``words``; a text shorter than k is one shingle."""
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return set(map(" ".join, zip(*(words[i:] for i in range(k)))))


def jaccard(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two shingle sets (exact when both sketches are whole)."""
    if not a.count or not b.count:
        return 0.0
    limit = min(a.limit, b.limit)
    if limit == _NO_LIMIT:
        both = len(a.hashes & b.hashes)
        return both / (len(a.hashes) + len(b.hashes) - both)
    seen_a = {h for h in a.hashes if h < limit}
    seen_b = {h for h in b.hashes if h < limit}
    union = len(seen_a | seen_b)
    return len(seen_a & seen_b) / union if union else 0.0


def containment(a: Sketch, b: Sketch) -> float:
    """Estimated share of the shorter story's shingles found in the other one.

    A story cut to its first paragraphs, or padded with background, is still the same story:
    this score stays high where Jaccard falls with the difference in length.
    """
    j = jaccard(a, b)
    if not j:
        return 0.0
    shared = j * (a.count + b.count) / (1 + j)
    return min(1.0, shared / min(a.count, b.count))


class SketchIndex:
    """Sketches by key, with an inverted index of their sampled hashes, to find candidates fast."""

    def __init__(self):
        self.sketches: dict[Hashable, Sketch] = {}
        self._postings: dict[int, set[Hashable]] = {}

    def __len__(self):
        return len(self.sketches)

    def add(self, key: Hashable, sketch: Sketch) -> None:
        self.discard(key)
        self.sketches[key] = sketch
        for h in sketch.index_keys():
            self._postings.setdefault(h, set()).add(key)

    def discard(self, key: Hashable) -> None:
        old = self.sketches.pop(key, None)
        if old is None:
            return
        for h in old.index_keys():
            keys = self._postings.get(h)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._postings[h]

    def best(self, sketch: Sketch, threshold: float, exclude: Hashable = None, limit: int = 3,
             score=None) -> list[tuple[float, Hashable]]:
        """Up to ``limit`` (score, key) pairs scoring at least ``threshold`` against ``sketch``, best first."""
        score_of = score or containment
        shared: Counter = Counter()
        postings = self._postings
        for h in sketch.hashes:
            keys = postings.get(h)
            if keys:
                shared.update(keys)
        shared.pop(exclude, None)
        scored = []
        for key, _ in shared.most_common(8):  # true duplicates share the most sampled hashes
            score = score_of(sketch, self.sketches[key])
            if score >= threshold:
                scored.append((score, key))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return scored[:limit]
