"""Translation: form texts to and from gettext .po files, with in-place YAML edits."""
