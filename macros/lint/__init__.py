"""Rules across files: keys that exist, unique names, sources and clinical safety."""
