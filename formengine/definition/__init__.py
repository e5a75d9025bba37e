"""The form definition: model, item types, loader, builder, variants, registry, diff, schema."""
