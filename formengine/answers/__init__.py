"""Answers: checking, conditions (show_if, required_if, constraints), sample answers."""
