"""Uniqueness of a key across a whole return, in memory that grows by about 8 bytes a row.

Each key's text is hashed to 64 bits, vectorised over Arrow's buffers. Within a chunk, rows that
share a hash are compared by their text, so a repeat found there is certain. Across chunks only
the hashes are kept: sorted runs in numpy arrays, merged as they grow (``HashStore``). A row whose
hash was seen in an earlier chunk is only a *suspect* — two different keys can share a hash — so
suspects are confirmed by a second read of the return that looks at the text of just the keys
with those hashes. A false duplicate is impossible; a return with no suspects (the usual case,
even when rows repeat within a chunk) is read once.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..arrow import from_numpy, pc, scalar, to_numpy
from .columns import text_buffers

_VECTOR_BYTES = 64  # keys up to this long are hashed vectorised; longer ones one by one
_BLOCK_ROWS = 16_384  # rows hashed at once (bounds the padded copy to 8 MB)
_M1 = np.uint64(0x87C37B91114253D5)
_M2 = np.uint64(0x4CF5AD432745937F)
_F1 = np.uint64(0xFF51AFD7ED558CCD)
_F2 = np.uint64(0xC4CEB9FE1A85EC53)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_NO_HASHES = np.empty(0, dtype=np.uint64)


def hash_text(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each text value (equal text, equal hash; '' for a null)."""
    if isinstance(values, pa.ChunkedArray):
        parts = [hash_text(c) for c in values.chunks]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    if values.null_count:
        values = pc.coalesce(values, scalar(""))
    offsets, data = text_buffers(values)
    lengths = np.diff(offsets)
    hashes = _hash_short(offsets, lengths, data)
    long_keys = np.flatnonzero(lengths > _VECTOR_BYTES)
    if len(long_keys):
        import hashlib  # only for keys too long to hash vectorised (not at start-up)
    for i in long_keys:
        text = data[offsets[i] : offsets[i + 1]].tobytes()
        hashes[i] = int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")
    return hashes


def _hash_short(offsets: np.ndarray, lengths: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Hash the first ``_VECTOR_BYTES`` of each value, eight bytes at a time, for all rows."""
    parts = [
        _hash_block(offsets[start : start + _BLOCK_ROWS + 1], data)
        for start in range(0, len(lengths), _BLOCK_ROWS)
    ]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)


def _hash_block(offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    lengths = np.diff(offsets)
    taken = np.minimum(lengths, _VECTOR_BYTES)
    width = max(8, -(-int(taken.max(initial=0)) // 8) * 8)
    cols = np.arange(width)
    at = offsets[:-1, None] + cols  # each value's bytes, padded with zeros to ``width``
    np.minimum(at, max(len(data) - 1, 0), out=at)
    padded = data[at] if len(data) else np.zeros(at.shape, dtype=np.uint8)
    padded[cols >= taken[:, None]] = 0
    words = padded.view("<u8")
    h = lengths.astype(np.uint64) * _GOLDEN
    for j in range(words.shape[1]):  # a word past a value's end leaves its hash alone
        k = _rotl(words[:, j] * _M1, 31) * _M2
        mixed = (_rotl(h ^ k, 27) * np.uint64(5)) + np.uint64(0x52DCE729)
        h = mixed if j == 0 else np.where(taken > 8 * j, mixed, h)
    h ^= h >> np.uint64(33)
    h *= _F1
    h ^= h >> np.uint64(33)
    h *= _F2
    h ^= h >> np.uint64(33)
    return h


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


class HashStore:
    """A set of 64-bit hashes as a few sorted numpy runs (8 bytes a hash, plus merge room).

    Each chunk adds one run; a run is merged into the one before while that one is not at
    least twice its size, so there are about log2(rows / chunk) small runs to search. Runs stop
    growing at ``MAX_RUN`` hashes (32 MB), so a merge never needs more than that again in
    passing, however long the return: 10M rows make three full runs and a few small ones.
    """

    MAX_RUN = 1 << 22

    def __init__(self) -> None:
        self.runs: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(run) for run in self.runs)

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """Which of ``hashes`` are in the store."""
        found = np.zeros(len(hashes), dtype=bool)
        for run in self.runs:
            found |= _isin_sorted(hashes, run)
        return found

    def add(self, hashes: np.ndarray) -> None:
        """Add sorted, distinct hashes that are not in the store yet."""
        if not len(hashes):
            return
        self.runs.append(hashes)
        while (
            len(self.runs) > 1
            and len(self.runs[-2]) <= 2 * len(self.runs[-1])
            and len(self.runs[-2]) + len(self.runs[-1]) <= self.MAX_RUN
        ):
            newer, older = self.runs.pop(), self.runs.pop()
            merged = np.concatenate([older, newer])
            merged.sort(kind="stable")  # two sorted runs: a linear merge
            self.runs.append(merged)


class UniqueKey:
    """Finds rows whose key repeats an earlier row's key, chunk by chunk, exactly.

    ``bits`` keeps only that many bits of each hash: fewer bits mean more keys share a hash,
    which costs a second read but never a wrong answer (tests use it to force collisions).
    """

    def __init__(self, bits: int = 64) -> None:
        self._mask = np.uint64((1 << bits) - 1 if bits < 64 else 0xFFFFFFFFFFFFFFFF)
        self.store = HashStore()
        self._suspect_rows: list[np.ndarray] = []
        self._suspect_hashes: list[np.ndarray] = []
        self._wanted: np.ndarray | None = None
        self._found_rows: list[np.ndarray] = []
        self._found_keys: list[pa.Array] = []
        self._repeat_rows: list[np.ndarray] = []  # 8 bytes for each repeated row
        self._first: tuple[int, str] | None = None  # the earliest repeated row and its key

    def add(self, keys: pa.Array, present: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The rows of this chunk (a mask) whose key certainly repeats an earlier one.

        ``keys`` is the key's text per row and ``present`` marks rows that have a key (blank
        keys are never duplicates). Rows whose hash only matches an earlier chunk's are kept
        as suspects for ``recheck`` and ``confirm``.
        """
        where = np.flatnonzero(present)
        hashes = hash_text(keys)[where] & self._mask
        order = np.argsort(hashes)  # sorted, the store is searched in one sweep
        ordered = hashes[order]
        repeat = _repeats_in_chunk(keys, where[order], ordered)
        seen = self.store.contains(ordered)
        suspect = seen & ~repeat
        if suspect.any():
            self._suspect_rows.append(rows[where[order[suspect]]])
            self._suspect_hashes.append(ordered[suspect])
        self.store.add(_distinct_sorted(ordered[~seen]))
        dup = np.zeros(len(present), dtype=bool)
        dup[where[order[repeat]]] = True
        if repeat.any():
            first = int(np.flatnonzero(dup)[0])
            self._record(rows[dup], int(rows[first]), keys[first])
        return dup

    def _record(self, repeated: np.ndarray, first_row: int, first_key: pa.Scalar) -> None:
        self._repeat_rows.append(repeated)
        if self._first is None or first_row < self._first[0]:
            self._first = (first_row, first_key.as_py())

    def repeats(self) -> tuple[np.ndarray, str | None]:
        """Every row found to repeat an earlier key (sorted), and the earliest one's key."""
        if not self._repeat_rows:
            return np.empty(0, dtype=np.int64), None
        assert self._first is not None
        return np.sort(np.concatenate(self._repeat_rows)), self._first[1]

    @property
    def suspects(self) -> int:
        """How many rows wait to be confirmed by a second read (0: none is needed)."""
        return sum(len(r) for r in self._suspect_rows)

    def recheck(self, keys: pa.Array, present: np.ndarray, rows: np.ndarray) -> None:
        """The second read, one chunk at a time, given what ``add`` was given, in order."""
        if self._wanted is None:
            self._wanted = np.unique(np.concatenate(self._suspect_hashes or [_NO_HASHES]))
        pick = present & _isin_sorted(hash_text(keys) & self._mask, self._wanted)
        if pick.any():
            self._found_rows.append(rows[pick])
            self._found_keys.append(pc.filter(keys, from_numpy(pick)))

    def confirm(self) -> None:
        """After ``recheck`` has seen every chunk: the suspects that really repeat a key are
        added to ``repeats``; the others only shared a hash."""
        if self._found_rows:
            rows = np.concatenate(self._found_rows)
            keys = pa.concat_arrays(self._found_keys)
            codes = to_numpy(pc.dictionary_encode(keys).indices)
            repeat = np.ones(len(codes), dtype=bool)
            repeat[np.unique(codes, return_index=True)[1]] = False  # each key's first row
            repeat &= np.isin(rows, np.concatenate(self._suspect_rows))
            if repeat.any():
                first = int(np.flatnonzero(repeat)[0])  # rows are in file order
                self._record(rows[repeat], int(rows[first]), keys[first])
        self._suspect_rows, self._suspect_hashes = [], []
        self._found_rows, self._found_keys = [], []


def _repeats_in_chunk(keys: pa.Array, where: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Which rows repeat the text of an earlier row of the same chunk.

    ``where`` are the rows' positions in ``keys``, ordered by their ``hashes`` (sorted); the
    answer is in that same order. Only rows that share a hash are compared, by their text.
    """
    repeat = np.zeros(len(where), dtype=bool)
    same = hashes[1:] == hashes[:-1]
    if not same.any():
        return repeat
    shared = np.zeros(len(where), dtype=bool)
    shared[1:] |= same
    shared[:-1] |= same
    candidates = np.flatnonzero(shared)
    candidates = candidates[np.argsort(where[candidates], kind="stable")]  # in row order
    texts = pc.take(keys, from_numpy(where[candidates]))
    codes = to_numpy(pc.dictionary_encode(texts).indices)
    later = np.ones(len(candidates), dtype=bool)
    later[np.unique(codes, return_index=True)[1]] = False  # the first row with each key
    repeat[candidates[later]] = True
    return repeat


def _distinct_sorted(hashes: np.ndarray) -> np.ndarray:
    if len(hashes) < 2:
        return hashes
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


def _isin_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_set, values)
    at[at == len(sorted_set)] = 0
    return sorted_set[at] == values
