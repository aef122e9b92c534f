"""The standard's own rules, which a Table Schema cannot say.

Which column plays which part is read from the standard: each schema names its fields' roles
(``borough``, ``period``, ``weight``, ``measure``, ``breakdown``, ``breakdown_value``,
``numerator``, ``denominator``); routed questions carry ``askedWhen``, and every date column
must fall inside the row's period. A rule whose column a submission type lacks is not run.

Only cells that are already valid for the schema are judged here, so one mistake gives one
finding: a borough code that is not a code at all is a ``not-in-codelist`` finding, not also a
``borough-mismatch``; a routed answer is judged only where its gate holds a valid code (a blank
gate means the gate question was not asked or answered, so nothing is known about the routed
one); dates are judged against the row's own period only where that period is the one the
return is submitted for; and a breakdown is not summed when one of its rows has a key cell that
is not valid or repeats another row's key.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from ..arrow import from_numpy, pc, texts, to_numpy
from ..periods import financial_year, looks_like_period
from ..readers.table import Chunk
from ..report.collector import MAX_ROWS, Collector
from ..standard import SERVICE_SOURCE, WEIGHT_TOTAL, Standard, SubmissionType
from .columns import (
    bools,
    by_value,
    code_index,
    coded_fields,
    empty_mask,
    integers,
    iso_days,
    numbers,
)


class RulesCheck:
    """Runs every rule of the standard that applies to the submission type, chunk by chunk."""

    def __init__(
        self,
        standard: Standard,
        sub: SubmissionType,
        positions: dict[str, int],
        *,
        borough: str | None = None,
        period: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.standard = standard
        self.sub = sub
        self.positions = positions
        self.borough = borough
        self.period = period
        self.metadata = metadata or {}
        borough = sub.role("borough")
        self.borough_fields = [borough] if borough else []
        self.period_field = sub.role("period")
        self.weight_field = sub.role("weight")
        self.measure_field = sub.role("measure")
        self.numerator_field = sub.role("numerator")
        self.denominator_field = sub.role("denominator")
        parts = (sub.role("breakdown"), sub.role("breakdown_value"))
        self.breakdown_fields = parts if all(parts) else None
        self.date_fields = [f.name for f in sub.fields if f.type == "date"]
        self.routed = [f for f in sub.fields if f.asked_when]
        self.coded = coded_fields(standard, sub)
        self.total_breakdowns = standard.total_breakdowns
        self.part_keys: set[tuple] = set()
        self.broken_measures: set[tuple[str, str]] = set()
        self.boroughs_seen = ValuesSeen()
        self.periods_seen = ValuesSeen()
        self.weights = WeightRule(
            self.weight_field,
            self.metadata.get(WEIGHT_TOTAL),
            ratio=standard.rules["weight_ratio"],
            tolerance=standard.rules["weight_total_tolerance"],
        )
        self.sums: dict[tuple, list[float]] = {}
        self.totals: dict[tuple, tuple[int, float, float]] = {}
        self.broken_groups: set[tuple] = set()

    def has(self, name: str | None) -> bool:
        return bool(name) and name in self.positions

    def text(self, chunk: Chunk, name: str) -> pa.Array:
        return chunk.column(self.positions[name])

    def check(self, chunk: Chunk, collector: Collector) -> None:
        for name in self.borough_fields:
            if self.has(name):
                self._borough(chunk, name, collector)
        if self.has(self.period_field):
            self._period(chunk, collector)
        for f in self.routed:
            self._routing(chunk, f, collector)
        weight = self.weight_field
        if self.has(weight) and self.sub.field(weight).type == "number":
            self.weights.add(chunk.rows, numbers(self.text(chunk, weight)), collector)
        if self.has(self.measure_field):
            self._service(chunk, collector)

    def finish(self, collector: Collector) -> None:
        if not self.borough and len(self.boroughs_seen) > 1:
            self._mixed("mixed-boroughs", self.borough_fields[0], self.boroughs_seen, collector)
        if not self.period and len(self.periods_seen) > 1:
            self._mixed("mixed-periods", self.period_field, self.periods_seen, collector)
        self.weights.finish(collector)
        self._parts_add_up(collector)

    # borough and period ------------------------------------------------------------------

    def _borough(self, chunk: Chunk, name: str, collector: Collector) -> None:
        codes = self.standard.boroughs.codes
        for value, mask in distinct(self.text(chunk, name)):
            if value not in codes:
                continue  # not-in-codelist already
            if self.borough and value != self.borough:
                collector.add(
                    "borough-mismatch", field=name, rows=chunk.rows[mask], value=value,
                    expected=self._borough_name(self.borough),
                )  # fmt: skip
            elif not self.borough:
                self.boroughs_seen.add(value, chunk.rows[mask], collector)

    def _borough_name(self, code: str) -> str:
        known = self.standard.boroughs.codes.get(code)
        return f"{code} ({known.label})" if known else code

    def _period(self, chunk: Chunk, collector: Collector) -> None:
        spans: list[tuple[str, tuple[date, date], np.ndarray]] = []
        field = self.period_field
        for value, mask in distinct(self.text(chunk, field)):
            if not looks_like_period(value):
                continue  # pattern-mismatch or required-missing already
            span = financial_year(value)
            rows = chunk.rows[mask]
            if span is None:
                collector.add("period-invalid", field=field, rows=rows, value=value)
                continue
            if self.period and value != self.period:
                collector.add(
                    "period-mismatch", field=field, rows=rows, value=value,
                    expected=self.period,
                )  # fmt: skip
                continue  # the row's dates are not judged against a period it should not have
            spans.append((value, span, mask))
            if not self.period:
                self.periods_seen.add(value, rows, collector)
        for name in self.date_fields:
            if self.has(name) and spans:
                self._dates(chunk, name, spans, collector)

    def _dates(self, chunk: Chunk, name: str, spans: list, collector: Collector) -> None:
        col = self.text(chunk, name)
        days = iso_days(chunk, self.positions[name])
        for period, span, mask in spans:
            start, end = (np.datetime64(d) for d in span)
            outside = mask & ~np.isnat(days) & ((days < start) | (days > end))
            if outside.any():
                collector.add(
                    "date-outside-period", field=name, rows=chunk.rows[outside],
                    value=str(col[int(np.flatnonzero(outside)[0])]), period=period,
                    start=_long_date(span[0]), end=_long_date(span[1]),
                )  # fmt: skip

    def _mixed(self, code: str, field: str, seen: ValuesSeen, collector: Collector) -> None:
        """One finding, marked on the rows that are not the file's own borough or period (the
        value on most rows; on a tie, the one met first)."""
        listed = ", ".join(f"{v} (from row {r})" for v, r in sorted(seen.first.items()))
        rows, count = seen.others()
        collector.add(
            code, field=field, rows=rows, count=count, values=listed,
            count_values=len(seen.first), value=", ".join(sorted(seen.first)),
        )  # fmt: skip

    # routing -----------------------------------------------------------------------------

    def _routing(self, chunk: Chunk, f: Any, collector: Collector) -> None:
        gate = f.asked_when.field
        if not (self.has(f.name) and self.has(gate)):
            return
        answered = ~empty_mask(chunk, self.positions[f.name])
        gate_values = self.text(chunk, gate)
        asked = bools(pc.is_in(gate_values, value_set=texts(f.asked_when.values)))
        codes = self.coded.get(gate)
        if codes is not None:  # judge only gates holding a code; the rest are findings already
            gate_known = code_index(chunk, self.positions[gate], codes) >= 0
        else:
            gate_known = ~empty_mask(chunk, self.positions[gate])
        wrong = answered & gate_known & ~asked
        if wrong.any():
            collector.add(
                "routed-answer", field=f.name, rows=chunk.rows[wrong], gate=gate,
                gate_values=" or ".join(f"'{v}'" for v in f.asked_when.values),
                value=str(self.text(chunk, f.name)[int(np.flatnonzero(wrong)[0])]),
            )  # fmt: skip

    # service data ------------------------------------------------------------------------

    def _service(self, chunk: Chunk, collector: Collector) -> None:
        measures = self.text(chunk, self.measure_field)
        num = integers(chunk, self.positions[self.numerator_field]) if self.has(
            self.numerator_field) else None  # fmt: skip
        den_at = self.positions.get(self.denominator_field) if self.denominator_field else None
        den = integers(chunk, den_at) if den_at is not None else None
        den_blank = empty_mask(chunk, den_at) if den_at is not None else None
        if self.breakdown_fields and all(self.has(n) for n in self.breakdown_fields):
            bd = np.asarray(self.text(chunk, self.breakdown_fields[0]).to_pylist(), dtype=object)
            bv = np.asarray(self.text(chunk, self.breakdown_fields[1]).to_pylist(), dtype=object)
        else:
            bd = bv = None
        for measure_id, idx in by_value(measures, np.arange(len(measures))):
            measure = self.standard.measures.get(measure_id)
            if measure is None:
                continue  # not-in-codelist already
            rows = chunk.rows[idx]
            if measure.source_type != SERVICE_SOURCE:
                collector.add(
                    "measure-not-service", field=self.measure_field, rows=rows, value=measure_id,
                    source_type=measure.source_type,
                )  # fmt: skip
                continue
            if bd is not None:
                self._breakdowns(measure, bd[idx], rows, collector)
            if num is None or den is None or den_blank is None:
                continue
            self._numbers(measure, num[idx], den[idx], den_blank[idx], rows, collector)
            if bd is not None and self.has(self.period_field) and self.borough_fields:
                self._accumulate(chunk, idx, measure_id, bd[idx], bv[idx], num[idx], den[idx])

    def _breakdowns(self, measure, breakdowns, rows, collector: Collector) -> None:
        known = np.isin(breakdowns, list(self.standard.breakdowns))
        wrong = known & ~np.isin(breakdowns, list(measure.breakdowns))
        for value, wrong_rows in by_value(texts(breakdowns[wrong]), rows[wrong]):
            collector.add(
                "breakdown-not-allowed", field=self.breakdown_fields[0], rows=wrong_rows,
                value=value, measure=measure.id, allowed=", ".join(measure.breakdowns),
            )  # fmt: skip

    def _numbers(self, measure, num, den, den_blank, rows, collector: Collector) -> None:
        label = measure.id
        if measure.has_denominator:
            missing = den_blank
            if missing.any():
                collector.add(
                    "denominator-missing", field=self.denominator_field, rows=rows[missing],
                    measure=label, denominator_definition=measure.denominator_definition,
                )  # fmt: skip
        else:
            extra = ~den_blank
            if extra.any():
                collector.add(
                    "denominator-not-expected", field=self.denominator_field, rows=rows[extra],
                    measure=label,
                )  # fmt: skip
        over = ~np.isnan(num) & ~np.isnan(den) & (num > den)
        for i in np.flatnonzero(over):
            collector.add(
                "numerator-exceeds-denominator", field=self.numerator_field, rows=rows[i : i + 1],
                numerator=f"{num[i]:,.0f}", denominator=f"{den[i]:,.0f}", value=f"{num[i]:.0f}",
            )  # fmt: skip

    def _accumulate(self, chunk, idx, measure_id, bd, bv, num, den) -> None:
        """Add each part row to its group's sums; a group with a doubtful row is not summed."""
        at = from_numpy(idx)
        borough = pc.take(self.text(chunk, self.borough_fields[0]), at).to_pylist()
        period = pc.take(self.text(chunk, self.period_field), at).to_pylist()
        rows = chunk.rows[idx]
        boroughs = self.standard.boroughs.codes
        for i in range(len(idx)):
            breakdown = self.standard.breakdowns.get(bd[i])
            if breakdown is None:
                continue  # not-in-codelist already; nothing is known of its group
            key = (str(borough[i]), str(period[i]), measure_id)
            valid_key = (
                key[0] in boroughs
                and financial_year(key[1]) is not None
                and bv[i] in breakdown.values
            )
            if not valid_key:  # its group cannot be told: do not sum this breakdown at all
                self.broken_measures.add((measure_id, bd[i]))
                continue
            if bd[i] in self.total_breakdowns:
                if key in self.totals:
                    self.broken_measures.add((measure_id, "*"))
                self.totals.setdefault(key, (int(rows[i]), num[i], den[i]))
                continue
            group = (*key, bd[i])
            if (group, bv[i]) in self.part_keys or np.isnan(num[i]):
                self.broken_groups.add(group)
            self.part_keys.add((group, bv[i]))
            sums = self.sums.setdefault(group, [0.0, 0.0, 0.0])
            sums[0] += 0 if np.isnan(num[i]) else num[i]
            sums[1] += 0 if np.isnan(den[i]) else den[i]
            sums[2] += 1 if np.isnan(den[i]) else 0

    def _parts_add_up(self, collector: Collector) -> None:
        broken = self.broken_measures
        for group, (num_sum, den_sum, den_blank) in sorted(self.sums.items()):
            total = self.totals.get(group[:3])
            if total is None or group in self.broken_groups:
                continue
            if (group[2], group[3]) in broken or (group[2], "*") in broken:
                continue
            if any((group[2], b) in broken for b in self.total_breakdowns):
                continue
            row, total_num, total_den = total
            checks = [(self.numerator_field, num_sum, total_num)]
            if not den_blank:
                checks.append((self.denominator_field, den_sum, total_den))
            for column, parts, whole in checks:
                if not np.isnan(whole) and parts != whole:
                    collector.add(
                        "parts-do-not-add-up", field=column, rows=[row], column_name=column,
                        measure=group[2], breakdown=group[3], parts=int(parts), total=int(whole),
                        value=str(int(whole)),
                    )  # fmt: skip


class ValuesSeen:
    """The borough (or period) values met, with the rows holding each: the first row of each,
    how many rows, and their row numbers (every one when the collector keeps every row, else one
    more than a report lists, so the report can say the list was cut short)."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.rows: dict[str, list[np.ndarray]] = {}
        self.kept: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.first)

    def add(self, value: str, rows: np.ndarray, collector: Collector) -> None:
        self.first.setdefault(value, int(rows[0]))
        self.counts[value] = self.counts.get(value, 0) + len(rows)
        kept = self.kept.get(value, 0)
        room = len(rows) if collector.all_rows else MAX_ROWS + 1 - kept
        if room > 0:
            self.rows.setdefault(value, []).append(rows[:room])
            self.kept[value] = kept + min(room, len(rows))

    def others(self) -> tuple[np.ndarray, int]:
        """The rows of every value but the commonest, and how many rows that is in all."""
        main = max(self.first, key=lambda v: (self.counts[v], -self.first[v]))
        parts = [r for v, rows in self.rows.items() if v != main for r in rows]
        rows = np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
        return rows, sum(n for v, n in self.counts.items() if v != main)


class WeightRule:
    """Weights not absurd (against the median of the first chunk), and their total."""

    def __init__(
        self, field: str | None, expected_total: float | None, ratio: float, tolerance: float
    ) -> None:
        self.field = field
        self.expected = expected_total
        self.ratio = ratio
        self.tolerance = tolerance
        self.total = 0.0
        self.median: float | None = None
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, rows: np.ndarray, weights: np.ndarray, collector: Collector) -> None:
        usable = np.isfinite(weights) & (weights > 0)
        self.total += float(weights[usable].sum())
        if self.median is None:
            self.pending.append((rows[usable], weights[usable]))
            self.median = median(weights[usable]) if usable.sum() else None
            if self.median is not None:
                for pending_rows, pending_weights in self.pending:
                    self._flag(pending_rows, pending_weights, collector)
                self.pending = []
            return
        self._flag(rows[usable], weights[usable], collector)

    def _flag(self, rows: np.ndarray, weights: np.ndarray, collector: Collector) -> None:
        assert self.median is not None
        extreme = (weights > self.median * self.ratio) | (weights < self.median / self.ratio)
        if extreme.any():
            collector.add(
                "weight-extreme", field=self.field, rows=rows[extreme],
                value=_plain(weights[extreme][0]), ratio=_plain(self.ratio),
                median=_plain(self.median),
            )  # fmt: skip

    def finish(self, collector: Collector) -> None:
        if not self.expected or self.total <= 0:
            return
        if abs(self.total - self.expected) > self.tolerance * self.expected:
            collector.add(
                "weights-total", field=self.field, total=f"{self.total:,.0f}",
                expected=f"{float(self.expected):,.0f}", value=_plain(self.total),
            )  # fmt: skip


def median(values: np.ndarray) -> float:
    """``float(np.median(values))`` for a non-empty array of finite floats, worked out the same
    way (a partition, then the middle value or the mean of the middle two), without the first
    call's import of ``numpy.ma`` (15 ms, a tenth of a small return's check)."""
    half = len(values) // 2
    if len(values) % 2:
        return float(np.partition(values, half)[half])
    part = np.partition(values, [half - 1, half])
    return float((part[half - 1] + part[half]) / 2)


def distinct(col: pa.Array | pa.ChunkedArray) -> list[tuple[str, np.ndarray]]:
    """Each distinct value of a column with the mask of its rows (for low-cardinality columns)."""
    encoded = pc.dictionary_encode(col)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries()
        dictionary = encoded.chunk(0).dictionary if encoded.num_chunks else texts([])
        indices = (
            np.concatenate([to_numpy(c.indices) for c in encoded.chunks])
            if encoded.num_chunks
            else np.array([], dtype=np.int32)
        )
    else:
        dictionary, indices = encoded.dictionary, to_numpy(encoded.indices)
    return [(value, indices == k) for k, value in enumerate(dictionary.to_pylist())]


def _long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _plain(x: float) -> str:
    return f"{x:.6g}"
