"""The reference pages in ``docs/reference/``, generated from the standard and the catalogue."""

from .pages import BANNER, render_pages, stale_docs, write_docs

__all__ = ["BANNER", "render_pages", "stale_docs", "write_docs"]
