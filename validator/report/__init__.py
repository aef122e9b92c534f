"""The verdict on one return (``Report``), how it is gathered, and how it is shown."""

from .collector import MAX_FINDINGS, MAX_ROWS, Collector
from .finding import Finding
from .model import FORMAT_VERSION, Report

__all__ = ["FORMAT_VERSION", "MAX_FINDINGS", "MAX_ROWS", "Collector", "Finding", "Report"]
