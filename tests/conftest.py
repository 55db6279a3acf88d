"""Shared test set-up: quiet frameworks, reproducible hypothesis runs, framework fixtures."""

import os

# Before any framework import: the same quiet, bit-stable set-up as the Makefile exports.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from hypothesis import HealthCheck, settings  # noqa: E402

# Layers are built for real, so examples are slow: no deadline, few examples, same examples each run.
settings.register_profile(
    "course",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))
