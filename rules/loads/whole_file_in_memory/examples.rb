# WL305 whole-file-in-memory: its examples (format: workerlint/app/examples.py)

# case: file-read-parsed-as-csv (invalid)
class CsvImportWorker
  include Sidekiq::Job

  def perform(path)
    CSV.parse(File.read(path), headers: true).each { |row| Contact.import_row(row) }
    #              ^^^^^^^^^^ `File.read` reads the whole file into memory; stream it with `File.foreach` (lines), `CSV.foreach`, or `IO.copy_stream`
  end
end

# case: io-readlines (invalid)
class LinesWorker
  include Sidekiq::Job

  def perform(path)
    IO.readlines(path).each { |line| Line.import(line) }
    #  ^^^^^^^^^^^^^^^ `IO.readlines` reads the whole file into memory; iterate with `File.foreach(path)`, which reads one line at a time
  end
end

# case: binread-of-a-spool-file (invalid)
# note: A literal path outside the application's folders: an export, a spool, an upload.
class SpoolWorker
  include Sidekiq::Job

  def perform
    data = File.binread("/var/spool/export/latest.bin")
    #           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `File.binread` reads the whole file into memory; stream it with `File.open(path, "rb") { |f| f.read(chunk_size) }` or `IO.copy_stream`
    Archive.store(data)
  end
end

# case: interpolated-tmp-path (invalid)
# note: An interpolated path under tmp/ is not a file shipped with the code.
class ExportWorker
  include Sidekiq::Job

  def perform(export_id)
    Storage.upload(File.read(Rails.root.join("tmp", "export-#{export_id}.csv")))
    #                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `File.read` reads the whole file into memory; stream it with `File.foreach` (lines), `CSV.foreach`, or `IO.copy_stream`
  end
end

# case: active-storage-attachment-download (invalid)
class ImportWorker
  include Sidekiq::Job

  def perform(upload_id)
    upload = Upload.find(upload_id)
    CSV.parse(upload.file.download, headers: true)
    #                     ^^^^^^^^ `upload.file.download` (Active Storage) reads the whole file into memory; stream it with `download { |chunk| ... }`, or use `open { |file| ... }` for a tempfile on disk
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.3)
#     activestorage (7.1.3)
#     rails (7.1.3)

# case: blob-and-variant-download (invalid)
# note: A blob-like receiver counts even where other upload libraries are present.
class ThumbnailWorker
  include Sidekiq::Job

  def perform(blob_id)
    blob = ActiveStorage::Blob.find(blob_id)
    Thumbnail.render(blob.download)
    #                     ^^^^^^^^ `blob.download` (Active Storage) reads the whole file into memory; stream it with `download { |chunk| ... }`, or use `open { |file| ... }` for a tempfile on disk
    Thumbnail.render(blob.variant(resize_to_limit: [100, 100]).processed.variant.download)
    #                                                                            ^^^^^^^^ `...variant.download` (Active Storage) reads the whole file into memory; stream it with `download { |chunk| ... }`, or use `open { |file| ... }` for a tempfile on disk
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.3)
#     activestorage (7.1.3)
#     carrierwave (7.1.3)

# case: uri-open-read (invalid)
# note: open-uri: the whole response body at once.
class MirrorWorker
  include Sidekiq::Job

  def perform(url)
    body = URI.open(url, read_timeout: 10).read
    #                                      ^^^^ `URI.open(...).read` reads the whole body into memory; stream it with a block (`URI.open(...) { |io| IO.copy_stream(io, destination) }`) or read it in chunks
    Mirror.store(body)
  end
end

# case: file-open-read (invalid)
class LogShipWorker
  include Sidekiq::Job

  def perform(path)
    LogShipper.ship(File.open(path).read)
    #                               ^^^^ `File.open(...).read` reads the whole body into memory; stream it with a block (`File.open(...) { |io| IO.copy_stream(io, destination) }`) or read it in chunks
  end
end

# case: attachment-in-a-helper-beside-the-workers (invalid)
# note: An instance variable holding an attachment, in a helper beside the workers.
# file: app/workers/imports/reader.rb
module Imports
  class Reader
    def initialize(attachment)
      @attachment = attachment
    end

    def rows
      CSV.parse(@attachment.download)
      #                     ^^^^^^^^ `@attachment.download` (Active Storage) reads the whole file into memory; stream it with `download { |chunk| ... }`, or use `open { |file| ... }` for a tempfile on disk
    end
  end
end

# case: files-shipped-with-the-application (valid)
# note: Files shipped with the application: their size is known when deployed.
class RulesWorker
  include Sidekiq::Job
  TEMPLATE = "app/views/mailers/digest.txt"

  def perform(name)
    YAML.safe_load(File.read(Rails.root.join("config", "rules.yml")))
    File.read(Rails.root.join("db/queries/report.sql"))
    File.read(File.expand_path("templates/body.txt", __dir__))
    File.readlines("config/blocklist.txt")
    File.read(Rails.root.join("app/queries/#{name}.sql"))
    File.read(TEMPLATE)
  end
end

# case: streaming-reads (valid)
# note: Streaming reads.
class StreamWorker
  include Sidekiq::Job

  def perform(path)
    File.foreach(path) { |line| Line.import(line) }
    CSV.foreach(path, headers: true) { |row| Row.import(row) }
    File.open(path) { |file| IO.copy_stream(file, $stdout) }
    IO.copy_stream(path, "/dev/null")
  end
end

# case: active-storage-download-with-a-block (valid)
# note: download with a block streams; open gives a tempfile on disk.
class ChunkWorker
  include Sidekiq::Job

  def perform(document_id)
    document = Document.find(document_id)
    document.file.download { |chunk| Digest.update(chunk) }
    document.file.open { |file| Scanner.scan(file.path) }
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.3)
#     activestorage (7.1.3)
#     rails (7.1.3)

# case: download-methods-that-are-not-active-storage (valid)
# note: Not Active Storage: a constant receiver, or download with arguments.
class FetchWorker
  include Sidekiq::Job

  def perform(url, key)
    tempfile = Down.download(url)
    bucket.object(key).download_file("/tmp/x")
    storage.download(key)
    tempfile.close
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.3)
#     activestorage (7.1.3)
#     rails (7.1.3)

# case: shrine-download-returns-a-tempfile (valid)
# note: Shrine's `download` returns a tempfile: with Shrine in the project, only blob-like
# note: receivers are taken as Active Storage.
class ShrineWorker
  include Sidekiq::Job

  def perform(photo_id)
    Photo.find(photo_id).image.download
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.3)
#     activestorage (7.1.3)
#     shrine (7.1.3)

# case: project-defines-its-own-download (valid)
# note: The project defines its own `download`: the receiver may well be that.
class ReportWorker
  include Sidekiq::Job

  def perform(report_id)
    Report.find(report_id).export.download
  end
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.3)
#     activestorage (7.1.3)
#     rails (7.1.3)

# file: app/models/export.rb
class Export
  def download = Tempfile.new
end

# case: not-worker-code (valid)
# note: Not worker code.
# file: app/models/importer.rb
class Importer
  def self.load(path)
    File.read(path)
  end
end

# case: chunked-reads (valid)
# note: Reading from an IO in chunks, and a read with a size.
class ChunkedReadWorker
  include Sidekiq::Job

  def perform(path, url)
    File.open(path) { |file| file.read(4096) }
    URI.open(url, read_timeout: 10) { |io| IO.copy_stream(io, "/tmp/out") }
    IO.read
  end
end
