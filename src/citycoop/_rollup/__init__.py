"""Rollups: grouping keys, records, the engine and its results, reconcile, budget totals, timelines."""
