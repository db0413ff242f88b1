"""Bulk imports for the tracker: all or nothing per file, errors as file:line: column: reason."""
