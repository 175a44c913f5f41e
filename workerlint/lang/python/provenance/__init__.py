"""Where Python job arguments come from (RULES.md, "Provenance"; PYTHON.md §2): the enqueue sites
of each module with what they pass (:mod:`.analysis`, cached as :mod:`.facts` in the module's
facts) and the queries across the project (:mod:`.query`)."""
