"""Numbers written other than as plain decimals are read exactly as pandas reads them.

``checks.columns.to_numeric_like`` stands in for ``pd.to_numeric(pd.Series(cells,
dtype=object).str.strip(), errors="coerce")`` so that a CSV validation needs no pandas. It must
give the very same floats (sign of zero included) for any batch of cells, since the weights'
total and median and the numerators and denominators are read through it.

The reference is pandas 3, whose reading the validator had before it stopped loading pandas:
pandas 2.2 reads a few out-of-range and oddly spaced cells differently, so the comparisons skip
there (``make test-lowest``); the validator's own reading no longer depends on pandas at all.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from validator.checks.columns import numbers, to_numeric_like

REFERENCE = pytest.mark.skipif(
    int(pd.__version__.split(".")[0]) < 3,
    reason=f"the reference is pandas 3's reading; pandas {pd.__version__} differs on a few cells",
)


def _pandas(cells: list[str]) -> np.ndarray:
    out = np.empty(len(cells), dtype=float)
    out[:] = pd.to_numeric(pd.Series(cells, dtype=object).str.strip(), errors="coerce")
    return out


def _same(ours: np.ndarray, theirs: np.ndarray) -> bool:
    return all(
        (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
        for a, b in zip(ours.tolist(), theirs.tolist(), strict=True)
    )


AWKWARD = [
    " 41.5 ", "+3", "-0", "+0", "1e3", "1E-3", ".5", "5.", "+.5e1", "1e", "1e+", "-", "", " ",
    "inf", "-inf", "+INF", "Infinity", "-infinity", "nan", "NaN", "1e400", "-1e400", "1e-400",
    "4.9e-324", "2.5e-324", "1e-320", "1_0", "٣", "1,000", "0x10", "\xa01", "1\u2003", "1\t",
    "12345678901234567891", "18446744073709551615", "18446744073709551616", "-9223372036854775809",
    "9223372036854775808", "+118446744073709551615", "+1e 7", "+1e\t-7", "1e 7", "+1e-+7",
    "0.1000000000000000055511151231257827", "+0.000000000000000000001234567890123456789",
    "9007199254740993", "+9007199254740993.0", "1 2", "--1", "+-1", "1.2.3", "e5",
]  # fmt: skip


@REFERENCE
@pytest.mark.parametrize("cell", AWKWARD)
def test_each_awkward_cell_alone_and_among_others(cell):
    for batch in ([cell], [cell, "x"], [cell, "7"], [cell, "-0", "+5"]):
        assert _same(to_numeric_like(batch), _pandas(batch)), batch


PARTS = [
    "", "+", "-", "0", "00000", "1", "7", "9", "12345678", "99999999", "12345678901234567890",
    "9007199254740993", "18446744073709551615", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "-0", "-1", ".", "e", "E", "e+", "e-", "e-3", "e-30", "e22", "e23",
    "e300", "e-300", "e-320", "308", "309", "400", "-324", " ", "\t", "\xa0", "\u2003", "e ",
    "e\t+", "_", "٣", "inf", "Infinity", "nan", "x", ",", "1.5",
]  # fmt: skip


@REFERENCE
@pytest.mark.parametrize("seed", range(4))
def test_random_batches_read_as_pandas_reads_them(seed):
    rng = random.Random(seed)
    for _ in range(500):
        batch = [
            "".join(rng.choice(PARTS) for _ in range(rng.randint(1, 5)))
            for _ in range(rng.randint(1, 4))
        ]
        assert _same(to_numeric_like(batch), _pandas(batch)), batch


def test_plain_decimals_and_the_rest_together():
    cells = ["41.540", " 12 ", "+3", "1e2", "abc", "", "-7", "0.5"]
    got = numbers(pa.array(cells, pa.string()))
    np.testing.assert_array_equal(got, [41.54, 12.0, 3.0, 100.0, np.nan, np.nan, -7.0, 0.5])
