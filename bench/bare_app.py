"""The baseline: a bare Flask route on the same machine (``gunicorn bench.bare_app:app``)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "ok"
