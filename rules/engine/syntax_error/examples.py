# WL001 syntax-error: its Python examples (format: workerlint/app/examples.py)

# case: python-syntax-error (invalid)
from celery import shared_task


@shared_task
def refresh(ids):
    for id in ids
    #         ^^^ syntax error near `ids`; the file's other rules were not run
        print(id)

# case: python-3-12-syntax-parses (valid)
# note: PEP 695 generics and PEP 701 f-strings parse whatever Python runs workerlint.
from celery import shared_task


class Box[T]:
    def __init__(self, item: T) -> None:
        self.item = item


@shared_task
def label(names):
    return f"{", ".join(names)}"

# case: jinja-template-named-py (valid)
# note: a code generator's template is not Python: not reported, not checked (--verbose says so).
# file: sdk/template/client.py
from client.{{ version }} import Client
{% for service in services %}
from .services import {{ service.name }}
{% endfor %}

# case: ruby-script-named-py (valid)
# note: its `#!` line says it is a Ruby script: not reported, not checked (--verbose says so).
# file: bin/profile_report.py
#!/usr/bin/env ruby
require "stackprof"

ARGV.each { |path| system("stackprof", path, "--text") }

# case: python-script-with-shebang-and-error (invalid)
# note: a `#!` naming Python does not hide a real syntax error.
# file: bin/export.py
#!/usr/bin/env python3
def export(rows):
    return [row for row in rows
    #^^^^^^^^^^^^^^^^^^^^^^^^^^ syntax error near `return [row for row in rows`; the file's other rules were not run
