"""Build the frozen FormDefinition from located YAML data, reporting every problem."""
