# WL305 whole-file-in-memory: its Python examples (format: workerlint/app/examples.py)

# case: open-read-and-readlines (invalid)
from celery import shared_task


@shared_task
def import_contacts(path):
    data = open(path).read()
    #                 ^^^^^^ `open(...).read()` reads the whole file into memory; iterate over the file object (one line at a time) or read it in chunks (`f.read(65536)`)
    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()
        #              ^^^^^^^^^^^ `open(...).readlines()` reads the whole file into memory; iterate over the file object (one line at a time) or read it in chunks (`f.read(65536)`)
    return data, lines

# case: path-read-text-and-storage-open (invalid)
from pathlib import Path

from celery import shared_task
from django.core.files.storage import default_storage


@shared_task
def process_upload(name, export_dir):
    raw = default_storage.open(name).read()
    #                                ^^^^^^ `default_storage.open(...).read()` reads the whole stored file into memory; read it in chunks (`for chunk in f.chunks():`) or copy it with `shutil.copyfileobj`
    text = Path(export_dir, name).read_text()
    #                             ^^^^^^^^^^^ `Path(export_dir, name).read_text()` reads the whole file into memory; open it and iterate over the file object (one line at a time) or read it in chunks (`f.read(65536)`)
    return raw, text

# case: s3-body-and-http-content (invalid)
import boto3
import requests
from celery import shared_task


@shared_task
def mirror(bucket, key, url):
    s3 = boto3.client("s3")
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    #                                                    ^^^^^^ `["Body"].read()` reads the whole S3 object into memory; stream it with `iter_chunks()`/`iter_lines()`, or `download_fileobj` to a file
    response = requests.get(url, stream=True, timeout=10)
    payload = response.content
    #                  ^^^^^^^ `requests.get(...).content` reads the whole response body into memory (with or without `stream=True`); stream it with `stream=True` and `iter_content(chunk_size=65536)`
    return body, payload

# case: pandas-read-csv-without-chunksize (invalid)
import pandas as pd
from celery import shared_task


@shared_task
def load_prices(path):
    frame = pd.read_csv(path)
    #          ^^^^^^^^^^^^^^ `pd.read_csv` without `chunksize` reads the whole file into one DataFrame; pass `chunksize=` to read it in chunks
    for chunk in pd.read_csv(path, chunksize=10_000):
        frame = frame.add(chunk)
    return frame

# case: streaming-and-shipped-files (valid)
# note: Chunked reads, line iteration, `iter_content` and files shipped with the code (`__file__`, `settings.BASE_DIR`) are not reported.
import json
import os
from pathlib import Path

import requests
from celery import shared_task
from django.conf import settings

SCHEMA = Path(__file__).parent / "schema.json"


@shared_task
def stream(path, url):
    with open(path, "rb") as handle:
        while chunk := handle.read(65536):
            print(len(chunk))
    with open(path) as handle:
        for line in handle:
            print(line)
    with requests.get(url, stream=True, timeout=10) as response:
        for piece in response.iter_content(chunk_size=65536):
            print(len(piece))
    schema = json.loads(SCHEMA.read_text())
    rules = open(os.path.join(os.path.dirname(__file__), "rules.sql")).read()
    seeds = (settings.BASE_DIR / "seeds.json").read_text()
    return schema, rules, seeds

# case: response-content-in-a-log-message (valid)
# note: Without `stream=True` requests has read the body already; showing it in a log or an error is not a read to stream.
import logging

import requests
from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def deliver(url, payload):
    response = requests.post(url, json=payload, timeout=10)
    if response.status_code != 200:
        logger.error("delivery failed: %s", response.content)
        raise RuntimeError(f"delivery failed: {response.content}")

# case: reads-outside-task-code (valid)
# note: A management command or a view reading a whole file is not task code.
def handle(path):
    return open(path).read()
