"""The domain: frozen records of parties, MOUs, horizons, training, exports and IATI activities."""
