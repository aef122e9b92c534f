"""One reading of the publication rule, as the standard's measure definitions word it."""

import numpy as np

from validator.publication import (
    base_too_small,
    clear_of_suppression,
    low_reliability,
    small_count,
)


def test_counts_from_one_to_one_below_the_threshold_are_suppressed_and_zero_is_published():
    counts = np.array([0, 1, 9, 10, 11, np.nan])
    assert small_count(counts, 10).tolist() == [False, True, True, False, False, False]
    assert small_count(9, 10) and not small_count(10, 10) and not small_count(0, 10)
    assert not small_count(3, None) and not small_count(counts, 0).any()


def test_a_base_below_the_minimum_is_withheld_and_one_just_above_it_is_flagged():
    bases = np.array([49, 50, 99, 100])
    assert base_too_small(bases, 50).tolist() == [True, False, False, False]
    assert low_reliability(bases, 50, 100).tolist() == [False, True, True, False]
    assert not base_too_small(1, None) and not low_reliability(60, 50, None)


def test_the_generator_keeps_a_margin_of_one_and_no_zeros():
    assert clear_of_suppression(np.array([11, 40]), np.array([51, 80]), 10, 50)
    assert not clear_of_suppression(np.array([10]), np.array([80]), 10, 50)  # at the threshold
    assert not clear_of_suppression(np.array([0]), np.array([80]), 10, 50)  # a zero
    assert not clear_of_suppression(np.array([20]), np.array([50]), 10, 50)  # base at minimum
    assert clear_of_suppression(np.array([20]), np.array([0]), 10, None)  # a count measure
