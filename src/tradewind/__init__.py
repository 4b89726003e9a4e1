"""Tradewind: KPI management for cross-border e-commerce (Amazon US/EU, Shopify) and their agencies."""

__version__ = "0.1.0"
