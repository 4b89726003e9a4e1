"""One module per report family. Each exposes `REPORTS: list[Report]` (found by `ingest.registry`)."""
