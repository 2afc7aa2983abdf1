"""Runnable speed measurements: `python -m benchmarks.<name>` prints figures against a named
baseline measured in the same run. Speed is never asserted in tests."""
