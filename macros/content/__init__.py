"""Read and validate: YAML with locations, the one content model, the loader, the
rule codes and the editor schemas."""
