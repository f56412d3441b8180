"""Performance benchmarks behind ``python scripts/bench.py`` (latency, cold start, ingestion, search, bot)."""
