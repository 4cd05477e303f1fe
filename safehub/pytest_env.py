"""Loaded by pytest (`-p safehub.pytest_env`) before Django reads settings: tests run as SAFEHUB_ENV=test."""

import os

os.environ.setdefault("SAFEHUB_ENV", "test")
