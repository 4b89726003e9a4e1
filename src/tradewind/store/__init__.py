"""The workspace on disk: config (TOML), facts (DuckDB through Ibis), app data (SQLAlchemy)."""
