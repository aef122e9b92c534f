"""The catalogue: every word the validator says to a person, with a stable code for each."""

from .findings import CATALOGUE, LAYER_ORDER, FindingType, Layer, Severity
from .inputs import INPUT_MESSAGES, InputError, InputMessage
from .words import PLACEHOLDERS, generic_text, render_template

__all__ = [
    "CATALOGUE",
    "INPUT_MESSAGES",
    "LAYER_ORDER",
    "PLACEHOLDERS",
    "FindingType",
    "InputError",
    "InputMessage",
    "Layer",
    "Severity",
    "generic_text",
    "render_template",
]
