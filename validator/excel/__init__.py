"""What an officer gets back in Excel: templates, fixed files and marked-up workbooks."""

from .annotate import annotate
from .fix import FixResult, fix_file
from .template import write_blank_csv, write_template

__all__ = ["FixResult", "annotate", "fix_file", "write_blank_csv", "write_template"]
