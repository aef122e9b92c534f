"""Disclosure: warnings for figures the GLA could not publish, using each measure's own
publication rules from the standard (``small_count_threshold``, ``min_base``).

Service data: a numerator above zero and below the small-count threshold, or a denominator
below the minimum base, on its row. Survey data: for every survey measure whose question is in
the return, the unweighted base (answers, less blanks and excluded codes) below the minimum
base, and the unweighted count of numerator answers below the small-count threshold.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..arrow import from_numpy, pc
from ..publication import base_too_small, small_count
from ..readers.table import Chunk
from ..report.collector import Collector
from ..standard import SERVICE_SOURCE, SURVEY_SOURCE, Measure, Standard, SubmissionType
from .columns import by_value, code_index, coded_fields, empty_mask, integers


class DisclosureCheck:
    def __init__(self, standard: Standard, sub: SubmissionType, positions: dict[str, int]):
        self.standard = standard
        self.positions = positions
        self.measure_field = sub.role("measure")
        self.numerator_field = sub.role("numerator")
        self.denominator_field = sub.role("denominator")
        self.survey = [
            m
            for m in standard.measures.values()
            if m.source_type == SURVEY_SOURCE and m.survey_field in positions
        ]
        self.bases = {m.id: 0 for m in self.survey}
        self.counts = {m.id: 0 for m in self.survey}
        self.coded = coded_fields(standard, sub)

    def check(self, chunk: Chunk, collector: Collector) -> None:
        for m in self.survey:
            base, count = self._tally(chunk, m)
            self.bases[m.id] += base
            self.counts[m.id] += count
        roles = (self.measure_field, self.numerator_field, self.denominator_field)
        if all(n and n in self.positions for n in roles):
            self._service(chunk, collector)

    def _tally(self, chunk: Chunk, m: Measure) -> tuple[int, int]:
        """This chunk's unweighted base (answers less blanks and excluded codes) and count."""
        position = self.positions[m.survey_field]
        codes = self.coded.get(m.survey_field)
        if codes is None:  # not a coded column: count its values as written
            counts = dict(zip(*_value_counts(chunk.column(position)), strict=True))
            base = sum(n for v, n in counts.items() if v and v not in m.excluded_codes)
            return base, sum(counts.get(code, 0) for code in m.numerator_codes)
        index = code_index(chunk, position, codes)
        per_code = np.bincount(index[index >= 0], minlength=len(codes))
        answered = len(index) - int(empty_mask(chunk, position).sum())
        base = answered - int(per_code[codes.positions(m.excluded_codes)].sum())
        return base, int(per_code[codes.positions(m.numerator_codes)].sum())

    def _service(self, chunk: Chunk, collector: Collector) -> None:
        measures = chunk.column(self.positions[self.measure_field])
        num = integers(chunk, self.positions[self.numerator_field])
        den = integers(chunk, self.positions[self.denominator_field])
        for measure_id, idx in by_value(measures, np.arange(len(measures))):
            measure = self.standard.measures.get(measure_id)
            if measure is None or measure.source_type != SERVICE_SOURCE:
                continue
            self._row_warnings(measure, num[idx], den[idx], chunk.rows[idx], collector)

    def _row_warnings(self, measure: Measure, num, den, rows, collector: Collector) -> None:
        threshold = measure.small_count_threshold
        if threshold:
            small = small_count(num, threshold)
            for value, small_rows in by_value(from_numpy(num[small].astype(np.int64)), rows[small]):
                collector.add(
                    "small-count", field=self.numerator_field, rows=small_rows, value=value,
                    measure=f"'{measure.title}'", threshold=threshold, column_name="numerator",
                )  # fmt: skip
        if measure.min_base:
            low = base_too_small(den, measure.min_base)
            for value, low_rows in by_value(from_numpy(den[low].astype(np.int64)), rows[low]):
                collector.add(
                    "low-base", field=self.denominator_field, rows=low_rows, value=value,
                    measure=f"'{measure.title}'", threshold=measure.min_base,
                )  # fmt: skip

    def finish(self, collector: Collector) -> None:
        for m in self.survey:
            base, count = self.bases[m.id], self.counts[m.id]
            if base_too_small(base, m.min_base):
                collector.add(
                    "low-base", field=m.survey_field, value=base, measure=f"'{m.title}'",
                    threshold=m.min_base,
                )  # fmt: skip
            if small_count(count, m.small_count_threshold):
                collector.add(
                    "small-count", field=m.survey_field, value=count, measure=f"'{m.title}'",
                    threshold=m.small_count_threshold, column_name="number of answers",
                )  # fmt: skip


def _value_counts(col: pa.Array) -> tuple[list[str], list[int]]:
    counts = pc.value_counts(col)
    return counts.field("values").to_pylist(), counts.field("counts").to_pylist()
