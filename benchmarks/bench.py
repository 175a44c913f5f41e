"""Speed benchmark: workerlint against the parse floor on a generated monorepo.

    python benchmarks/bench.py [--workers 2000] [--check]

It writes a synthetic Rails project of N worker files (several hand-written shapes, with and
without findings, plus models and initializers) into a temporary folder and measures, each as the
best of three runs:

- parse floor: tree-sitter parsing every Ruby file once, nothing else;
- walk floor: parsing plus one Python walk over every node;
- ``workerlint check`` on the whole project, cold (no cache) and warm (index cache present);
- a pre-commit style run on one file of that project (warm cache).

``--check`` exits 1 when a target is missed: a full cold check within 4x the walk floor plus 1 s,
and a one-file run within 1.5 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

WORKER = """\
module Shop{group}
  class Sync{n}Worker < ApplicationWorker
    sidekiq_options queue: "sync", retry: 5

    def perform(account_id, options = {{}})
      account = Account.find(account_id)
      Order.where(account_id: account.id).find_each do |order|
        payload = {{ id: order.id, total: order.total_cents }}
        response = HTTParty.post(ENDPOINT, body: payload.to_json, timeout: 5)
        order.update!(synced_at: Time.current) if response.success?
      end
      account.orders.each {{ |order| order.touch }}
      notify(account) if options["notify"]
    end

    private

    def notify(account)
      connection.post("/notify", {{ id: account.id }}.to_json)
    end

    def connection
      @connection ||= Faraday.new(url: NOTIFY_URL, request: {{ timeout: 10 }}) do |f|
        f.request :json
        f.response :raise_error
      end
    end
  end
end
"""

BAD_WORKER = """\
class Report{n}Worker
  include Sidekiq::Job

  def perform(account_id)
    Invoice.where(account_id: account_id).each do |invoice|
      HTTParty.get("https://tax.example.com/rates/#{{invoice.region}}")
    end
    Order.paid.map(&:total_cents).sum
  end
end
"""

SUPPORT = {
    "Gemfile": 'source "https://rubygems.org"\ngem "sidekiq"\n',
    "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n    sidekiq (7.2.4)\n",
    "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\nend\n",
    "app/models/order.rb": (
        "class Order < ApplicationRecord\n  scope :paid, -> { where(state: 'paid') }\nend\n"
    ),
    "app/models/invoice.rb": "class Invoice < ApplicationRecord\nend\n",
    "app/models/account.rb": "class Account < ApplicationRecord\n  has_many :orders\nend\n",
    "app/workers/application_worker.rb": "class ApplicationWorker\n  include Sidekiq::Job\nend\n",
    "config/sidekiq.yml": ":concurrency: 10\n:queues:\n  - sync\n  - default\n",
}


def make_project(root: Path, workers: int) -> list[Path]:
    for rel, text in SUPPORT.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    files = []
    for n in range(workers):
        group = n // 100
        folder = root / "app/workers" / f"shop{group}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"worker_{n}.rb"
        template = BAD_WORKER if n % 10 == 0 else WORKER
        path.write_text(template.format(n=n, group=group))
        files.append(path)
    return files


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def parse_floor(files: list[Path], walk: bool) -> None:
    from workerlint.lang.ruby.parse import parse

    for path in files:
        tree = parse(path.read_bytes())
        if walk:
            cursor = tree.walk()
            while True:
                if cursor.goto_first_child():
                    continue
                while not cursor.goto_next_sibling():
                    if not cursor.goto_parent():
                        break
                else:
                    continue
                break


def workerlint(*args: str, cwd: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "workerlint", "check", *args, "--output-format", "concise"],
        cwd=cwd,
        capture_output=True,
        check=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--check", action="store_true", help="fail when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workerlint-bench-") as tmp:
        root = Path(tmp)
        files = make_project(root, args.workers)
        size = sum(p.stat().st_size for p in root.rglob("*.rb"))
        parse_time = best_of(3, lambda: parse_floor(files, walk=False))
        walk_time = best_of(3, lambda: parse_floor(files, walk=True))
        cold = best_of(3, lambda: workerlint(".", "--no-cache", cwd=root))
        workerlint(".", cwd=root)  # write the cache
        warm = best_of(3, lambda: workerlint(".", cwd=root))
        one = best_of(3, lambda: workerlint(str(files[5].relative_to(root)), cwd=root))
        startup = best_of(
            3,
            lambda: subprocess.run(
                [sys.executable, "-m", "workerlint", "--version"], capture_output=True, check=False
            ),
        )
    print(f"{args.workers} workers, {size / 1e6:.1f} MB of Ruby")
    print(f"parse floor (in-process)        {parse_time:6.2f} s")
    print(f"parse + one walk (in-process)   {walk_time:6.2f} s")
    print(f"interpreter + import (--version){startup:6.2f} s")
    print(f"workerlint check, cold          {cold:6.2f} s")
    print(f"workerlint check, warm cache    {warm:6.2f} s")
    print(f"workerlint check one file       {one:6.2f} s")
    if args.check:
        failed = []
        if cold > 4 * walk_time + 1.0:
            failed.append(f"cold check {cold:.2f} s > 4 x walk floor + 1 s")
        if one > 1.5:
            failed.append(f"one-file run {one:.2f} s > 1.5 s")
        for line in failed:
            print(f"MISSED: {line}")
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
