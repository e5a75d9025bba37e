"""Feature commands of the `formengine` CLI; each module exposes ``register(subparsers)``."""
