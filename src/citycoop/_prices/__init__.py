"""Constant prices: index values, price indices, deflation, and price-file readers."""
