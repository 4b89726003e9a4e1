"""Importers for the report files sellers download, and the loader that writes them safely.

One module per report family under `reports/`; each declares its detection (header fingerprint),
its fields (by header name, with locale variants), the facts it produces and their natural keys.
Parsing runs as DuckDB SQL over the whole file, so a million-line report imports in seconds.
"""
