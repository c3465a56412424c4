"""Stateful, spec-driven fakes of time-tracking vendor APIs and a conformance fuzzer."""

from pathlib import Path

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = PROJECT_ROOT / "specs"
FIXTURES_DIR = PROJECT_ROOT / "fixtures"
DEFAULT_FIXTURES = FIXTURES_DIR / "default.json"
