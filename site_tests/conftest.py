"""Shared test set-up: Hypothesis profiles and the project root."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
