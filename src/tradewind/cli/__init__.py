"""The `tradewind` command line: thin Typer commands over `Workspace`, Rich for output."""
