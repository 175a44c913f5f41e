"""Provenance (RULES.md, "Provenance"): where the values an application's enqueue sites pass
come from, per job argument position.

- :mod:`.facts`: what the index keeps of each enqueue site (cached with the file's facts);
- :mod:`.values` and :mod:`.spec`: the taint engine's spec (request input, stored data,
  internal values, unknown ones);
- :mod:`.analysis`: the analysis of one file (its enqueue sites, and what its loops iterate);
- :mod:`.query`: the provenance of a worker's job argument across the project.

This package's ``__init__`` imports nothing: the model (lang/ruby/model.py) imports
:mod:`.facts` for ``FileFacts``, and the analysis imports the model.
"""
