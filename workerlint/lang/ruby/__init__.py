"""Ruby front end: tree-sitter parsing and the Ruby model."""
