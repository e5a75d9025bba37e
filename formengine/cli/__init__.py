"""The `formengine` command; feature commands register themselves."""
