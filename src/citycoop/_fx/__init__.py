"""Exchange rates: rates and policies, the rate table, conversion, and rate-file readers."""
