"""Pure values shared by every layer: errors, marketplaces, periods, the console interface."""
