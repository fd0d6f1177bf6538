"""Side-by-side benchmarks: ``python -m benchmarks.<name>`` prints a table, ``--json`` data."""
