"""Rendering: WTForms classes, answers as text (one locale-aware formatter), form-text markup, plain-text views."""
