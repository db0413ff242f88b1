"""Checks a signing form must pass before its signature is recorded: proof of work and a captcha, each optional."""

from __future__ import annotations

from campaigns.challenges.checks import check_signing_challenge

__all__ = ["check_signing_challenge"]
