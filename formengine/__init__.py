"""formengine: versioned assessment forms for relatives — load, validate, render, score, summarise.

The library has no Flask imports; the web app and the CLI are thin shells around it.
"""
__version__ = "0.1.0"
