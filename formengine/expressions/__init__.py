"""The expression language: tokens, parser and null-safe evaluation (no eval)."""
