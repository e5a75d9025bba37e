"""Scoring: scales, bands, flags, priorities, gaps and offers into a typed ScoreReport."""
