"""Bottom-k sketches of word-shingle sets: how near-duplicate stories are measured, with no dependency.

A story becomes the set of its k-word shingles; each shingle is hashed once (CRC-32) and the
sketch keeps the ``SKETCH_SIZE`` smallest hashes (a bottom-k MinHash). A typical wire item has
fewer shingles than that, so its sketch *is* its set and comparisons are exact; longer stories
are compared on the part of the hash range both sketches cover, the standard bottom-k estimate.
``bench/wire_dedup.py`` measured this against exact sets, a k-permutation MinHash and datasketch.

Stored form: one format byte, the shingle count (uint32), then the sorted hashes (uint32 each).
"""

from __future__ import annotations

import operator
import struct
import zlib
from bisect import bisect_left
from collections import Counter
from itertools import chain, islice
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


class Sketch:
    """A parsed signature: how many shingles the story had, and the smallest of their hashes.

    The hashes are kept as a sorted tuple; the set of them is built only when the sketch is
    the one being looked up (a window of thousands of sketches stays small in memory).
    """

    __slots__ = ("count", "ordered", "limit", "_hashes")

    def __init__(self, count: int, hashes: Iterable[int], limit: int):
        self.count = count
        self.ordered: tuple[int, ...] = tuple(sorted(hashes))
        # every hash of the story below ``limit`` is in the sketch (all of them when the sketch is whole)
        self.limit = limit
        self._hashes = None

    @classmethod
    def _of_sorted(cls, count: int, ordered: tuple[int, ...], limit: int) -> Sketch:
        sketch = cls.__new__(cls)
        sketch.count, sketch.ordered, sketch.limit, sketch._hashes = count, ordered, limit, None
        return sketch

    @property
    def hashes(self) -> frozenset[int]:
        if self._hashes is None:
            self._hashes = frozenset(self.ordered)
        return self._hashes

    def __eq__(self, other):
        if not isinstance(other, Sketch):
            return NotImplemented
        return (self.count, self.ordered, self.limit) == (other.count, other.ordered, other.limit)

    def __hash__(self):
        return hash((self.count, self.ordered, self.limit))

    def __repr__(self):
        return f"Sketch(count={self.count}, hashes={len(self.ordered)}, limit={self.limit})"

    @classmethod
    def _of_hashes(cls, unique: set[int]) -> Sketch:
        everything = sorted(unique)  # in C, faster than heapq.nsmallest at these sizes
        if len(everything) <= SKETCH_SIZE:
            return cls._of_sorted(len(everything), tuple(everything), _NO_LIMIT)
        kept = tuple(everything[:SKETCH_SIZE])
        return cls._of_sorted(len(everything), kept, kept[-1] + 1)

    @classmethod
    def of_shingles(cls, shingles: Iterable[str]) -> Sketch:
        return cls._of_hashes({zlib.crc32(s.encode()) for s in shingles})

    @classmethod
    def of_words(cls, words: list[str], k: int = SHINGLE_WORDS) -> Sketch:
        """The sketch of the k-word shingles of ``words``: ``of_shingles(shingles(words, k))``, faster.

        The UTF-8 of a joined shingle is the join of its words' UTF-8, so each word is encoded
        once and the shingles are joined and hashed as bytes, all in C: the same hashes.
        """
        if len(words) < k:
            return cls.of_shingles(shingles(words, k))
        encoded = list(map(str.encode, words))
        joined = map(b" ".join, zip(*(encoded[i:] for i in range(k))))
        return cls._of_hashes(set(map(zlib.crc32, joined)))

    @classmethod
    def parse(cls, data: bytes | memoryview | None) -> Sketch:
        data = bytes(data or b"")
        if len(data) < _HEADER.size or data[0] != FORMAT:
            return cls._of_sorted(0, (), _NO_LIMIT)
        _, count = _HEADER.unpack_from(data)
        unpacked = struct.unpack_from(f"<{(len(data) - _HEADER.size) // 4}I", data, _HEADER.size)
        hashes = unpacked
        if not all(map(operator.lt, unpacked, islice(unpacked, 1, None))):  # written sorted and unique; bisect needs it
            hashes = tuple(sorted(set(unpacked)))
        limit = hashes[-1] + 1 if hashes and count > len(hashes) else _NO_LIMIT  # truncated: known up to the last
        return cls._of_sorted(count, hashes, limit)

    def to_bytes(self) -> bytes:
        return _HEADER.pack(FORMAT, self.count) + struct.pack(f"<{len(self.ordered)}I", *self.ordered)

    def below(self, limit: int) -> int:
        """How many of the sketch's hashes are below ``limit``."""
        return len(self.ordered) if limit >= self.limit else bisect_left(self.ordered, limit)

    def index_keys(self) -> tuple[int, ...]:
        """The hashes an index files this sketch under."""
        return self.ordered[: max(_INDEX_SMALLEST, bisect_left(self.ordered, _INDEX_BELOW))]


def shingles(words: list[str], k: int = SHINGLE_WORDS) -> set[str]:
    """The k-word shingles of ``words``; a text shorter than k is one shingle."""
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return set(map(" ".join, zip(*(words[i:] for i in range(k)))))


def _shared(a: Sketch, b: Sketch) -> tuple[int, int, int]:
    """(hashes both have, a's, b's), counting only the part of the hash range both sketches cover.

    Every hash of the sketch with the lower limit is below it, so the hashes both have are all in
    the covered range: one set intersection, and a bisection for the other sketch's count.
    """
    limit = min(a.limit, b.limit)
    return len(a.hashes.intersection(b.ordered)), a.below(limit), b.below(limit)


def jaccard(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two shingle sets (exact when both sketches are whole)."""
    if not a.count or not b.count:
        return 0.0
    both, in_a, in_b = _shared(a, b)
    union = in_a + in_b - both
    return both / union if union else 0.0


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
        postings = self._postings
        # Counted in C; the query's hashes in set order, so ties between candidates fall as they always did.
        shared = Counter(chain.from_iterable(filter(None, map(postings.get, sketch.hashes))))
        shared.pop(exclude, None)
        scored = []
        for key, _ in shared.most_common(8):  # true duplicates share the most sampled hashes
            score = score_of(sketch, self.sketches[key])
            if score >= threshold:
                scored.append((score, key))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return scored[:limit]
