"""What the sample generators share: reading the boberdoo samples, call ids."""
import csv, gzip, io, os

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
INBOX = os.path.join(ROOT, "samples", "inbox")
DAYS = ["20261031", "20261101", "20261102"]


def boberdoo_rows(day):
    """The valid-looking rows of a sample day's export, as dicts."""
    folder = os.path.join(INBOX, day)
    name = [f for f in os.listdir(folder) if f.startswith("boberdoo_transactions_")][0]
    path = os.path.join(folder, name)
    raw = gzip.open(path).read() if name.endswith(".gz") else open(path, "rb").read()
    text = raw.decode("utf-8", errors="replace")
    rows = []
    for r in csv.DictReader(io.StringIO(text, newline="")):
        if None in r or r.get("Test_Lead") != "0" or not r.get("Lead_ID"):
            continue
        rows.append(r)
    return rows


def call_id(lead_id):
    """The Invoca complete_call_id the samples give the call of an inbound-call lead."""
    n = int(lead_id)
    return "%08X-%08X" % ((n * 2654435761) % 2**32, n % 2**32)


def digits(phone):
    d = "".join(c for c in phone if c.isdigit())
    return d[1:] if len(d) == 11 else d
