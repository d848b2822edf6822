"""What the browser gets besides pages: the calculators' catalogue and bundle, the
Pyodide runtime and the offline files."""
