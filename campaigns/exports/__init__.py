"""Owners' CSV exports of their campaign's signatures: asked for, written by a heavy task, downloaded by link.

The design and what the file holds are in docs/signature-exports.md.
"""
