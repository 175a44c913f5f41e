from __future__ import annotations

from workerlint import FolderCheck, Level, Rule


class WholeFileInMemory(Rule):
    """## What it does
    Reports, in worker code, reads that hold a whole file in memory: `File.read`, `IO.read`,
    `File.binread`, `IO.binread`, `File.readlines`, `IO.readlines`, `open(...).read`,
    `File.open(...).read` and `URI.open(...).read` (no block: the whole body at once), and
    Active Storage's `download` without a block.

    `download` is only taken as Active Storage's when it has no arguments and no block, its
    receiver is not a constant (`Down.download(url)`, `Aws::S3...`), and either the receiver is
    named like a blob (`blob`, `attachment`, `variant`, `preview`, `x.file_blob`), or the project
    has `activestorage` in `Gemfile.lock`, no other upload library (Shrine, CarrierWave,
    Paperclip, Dragonfly, whose `download` returns a tempfile) and defines no `download` method
    of its own.

    Not reported: a literal path into the application's own folders
    (`File.read(Rails.root.join("config", "rules.yml"))`, `File.read("db/seed.sql")`,
    `File.read(File.expand_path("query.sql", __dir__))`): a file shipped with the code, whose
    size is known when it is deployed. `File.foreach`, `CSV.foreach`, `download { |chunk| }`,
    `open { |file| }` stream and are fine.

    ### Python
    In task code: `open(p).read()` and `.readlines()` without a size (also through
    `with open(p) as f:`; `io.open`, `gzip.open`... and `urllib.request.urlopen(url).read()`),
    `Path.read_text()`/`read_bytes()`, `default_storage.open(p).read()` (any `*storage`),
    `s3.get_object(...)["Body"].read()`, `requests.get(url).content` (with or without
    `stream=True`: `.content` reads the whole body; `iter_content` streams), and
    `pandas.read_csv`/`read_table` without `chunksize` (or `nrows`, `iterator`). Not reported:
    a path built from `__file__` or `settings.BASE_DIR` (a file shipped with the code), and
    reads given a size (`f.read(65536)`).

    ```python
    @shared_task
    def import_contacts(path):
        for row in csv.reader(open(path).read().splitlines()):
            Contact.import_row(row)
    ```

    Use instead: `with open(path, newline="") as f: for row in csv.reader(f): ...`.

    ## Why is this bad?
    Imports and exports grow: a CSV that was 2 MB when the job was written is 2 GB a year later.
    Reading it whole holds all of it (several times over, once split into lines or parsed) in
    the memory of a Sidekiq process that runs other jobs at the same time, until the process is
    killed for memory. Streaming keeps one chunk or one line in memory at a time.

    ## Example
    ```ruby
    class ImportWorker
      include Sidekiq::Job

      def perform(upload_id)
        upload = Upload.find(upload_id)
        CSV.parse(upload.file.download, headers: true).each do |row|
          Contact.import_row(row)
        end
      end
    end
    ```

    Use instead:
    ```ruby
    class ImportWorker
      include Sidekiq::Job

      def perform(upload_id)
        upload = Upload.find(upload_id)
        upload.file.open do |file|
          CSV.foreach(file.path, headers: true) { |row| Contact.import_row(row) }
        end
      end
    end
    ```
    """

    code = "WL305"
    name = "whole-file-in-memory"
    level = Level.NOTE
    summary = "Reading a whole file or attachment into memory in worker code; stream it."
    tags = ("memory",)
    ruby = FolderCheck("RubyWholeFileCheck")
    python = FolderCheck("WholeFileCheck")
