"""The curated public surface: sorted, complete, importable, and every error under one root."""

from __future__ import annotations

import graphkit
from graphkit import exceptions


def test_all_is_sorted_and_importable():
    assert graphkit.__all__ == sorted(graphkit.__all__)
    for name in graphkit.__all__:
        assert getattr(graphkit, name) is not None, name


def test_every_public_error_derives_from_the_root():
    for name in exceptions.__all__:
        error = getattr(exceptions, name)
        assert issubclass(error, graphkit.GraphkitError), name
        assert getattr(graphkit, name) is error


def test_stage_modules_exist():
    import importlib

    for module in ("extract", "resolve", "build", "store", "analyze", "render", "cli", "models", "exceptions", "schema"):
        importlib.import_module(f"graphkit.{module}")
