"""The Celery configuration model of a Python project (PYTHON.md §3, §9), beside sidekiq/.

- model.py: ``CelerySetup`` (data only) and its parts: ``CeleryApp``, ``Setting``,
  ``BeatEntry``, ``Route``; what rules read (see its docstring).
- setup.py: ``build_celery_setup(root, python_index, fs)`` and ``CeleryProvider`` (lazy, once
  per run: ``ProjectContext.celery`` and ``PythonFileContext.celery``).
- modules.py, pyvalues.py: Python configuration modules read as Values (never run).
- commands.py: worker commands (celery, rq, dramatiq) in Procfiles, compose, Dockerfiles,
  systemd units, supervisord files and s6 ``run`` scripts.
- keys.py: Celery's setting names, defaults and old names. version.py: locked versions.
"""
