"""A clinic's branded copy: its file's model and rules, colour arithmetic, theme CSS,
the chosen conditions, the logo and extra pages."""
