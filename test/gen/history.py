#!/usr/bin/python3
"""Write an inbox of many days for the history and view benchmarks.

  history.py INBOX FROM DAYS ROWS

Each day YYYYMMDD from FROM on gets a boberdoo export of about ROWS
transactions (boberdoo.py, quirks included, ids wide enough not to meet
another day's), the Invoca calls of its inbound-call leads (about a third
of the calls carry no lead), and the broker files due: Acme's ledger and
Lone Star's zip every weekday (their maps say so), Hill Country's
transfers and Harbor's dispositions every day.  Days already written are
kept; days are written two at a time.  Deterministic for given arguments."""
import csv, datetime, io, os, random, subprocess, sys, zipfile, zoneinfo
from multiprocessing import Pool

from common import digits
from invoca import NY, UTC, Writer

HERE = os.path.dirname(os.path.abspath(__file__))
CHI = zoneinfo.ZoneInfo("America/Chicago")  # Hill Country reports US Central


def utc_of(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=NY).astimezone(UTC)


def write(path, text, **kw):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".part", "w", newline="", **kw) as f:
        f.write(text)
    os.rename(path + ".part", path)


def sold(rows, partner):
    return [r for r in rows if r.get("Partner_ID") == partner and r.get("Transaction_Type") == "Purchase"]


def day_files(args):
    inbox, day, rows = args
    folder = os.path.join(inbox, day)
    export = os.path.join(folder, "boberdoo_transactions_%s.csv" % day)
    done = os.path.join(inbox + ".done", day)  # beside the inbox: the nightly reads every name in it
    if os.path.exists(done):
        return
    os.makedirs(folder, exist_ok=True)
    with open(export, "wb") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "boberdoo.py"), day, str(rows), day, "--wide-ids"],
                       stdout=f, check=True)
    with open(export, newline="", encoding="utf-8", errors="replace") as f:
        leads = [r for r in csv.DictReader(f) if None not in r and (r.get("Lead_ID") or "").isdigit()]
    r = random.Random(int(day))

    calls = Writer(int(day))
    for i, lead in enumerate(x for x in leads if x["Lead_Type"] == "Inbound Call"
                             and x["Transaction_Type"] == "Purchase"):
        received = utc_of(lead["Lead_Received"])
        if i % 9 != 4:
            calls.call("%08X-%08X" % (int(lead["Lead_ID"]) % 2**32, i), received - datetime.timedelta(seconds=5 + i % 80),
                       lead["Phone"], lead["Campaign"])
        if i % 2 == 0:  # a caller no lead explains
            calls.call("%08X-%08XF" % (int(day), i), received + datetime.timedelta(minutes=40),
                       "(210) 555-%04d" % (i % 10000), lead["Campaign"], result="IVR Abandon")
    calls.write(day, inbox)

    if datetime.datetime.strptime(day, "%Y%m%d").weekday() < 5:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["Lead ID", "Customer Phone", "Sale Date", "Policy Type", "Annual Premium", "Commission Due"])
        for lead in sold(leads, "1043")[::20]:
            w.writerow([lead["Lead_ID"], lead["Phone"], day[4:6] + "/" + day[6:] + "/" + day[:4], "Health PPO",
                        "$3,450.00", r.choice(["$95.00", "$1,150.00", "($95.00)"])])
        write(os.path.join(folder, "cpa", "acme_sales_%s.csv" % day), buf.getvalue(), encoding="utf-8-sig")
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(["LEADID", "ENROLL_DT", "STATUS", "CARRIER", "PAYOUT"])
        serial = (datetime.datetime.strptime(day, "%Y%m%d") - datetime.datetime(1899, 12, 30)).days
        for lead in sold(leads, "2210")[::15]:
            w.writerow([lead["Lead_ID"], serial, r.choice(["Pending", "Issued", "Cancelled"]), "Humana; Gold", "95.5"])
        path = os.path.join(folder, "cpa", "lonestar_%s.zip" % day)
        with zipfile.ZipFile(path + ".part", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("LS_SALES_%s.csv" % day, buf.getvalue())
        os.rename(path + ".part", path)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Transfer Date", "Transfer Time", "Customer Phone", "Agent", "Sold (Y/N)", "Premium", "Commission"])
    for i, lead in enumerate(sold(leads, "1300")[::3]):
        at = (utc_of(lead["Lead_Received"]) + datetime.timedelta(minutes=2 + i % 5)).astimezone(CHI)
        d = digits(lead["Phone"])
        w.writerow([at.strftime("%m/%d/%Y"), at.strftime("%-I:%M %p"), "(%s) %s-%s" % (d[:3], d[3:6], d[6:]),
                    "Dale", "Y", "$1,200.00", "$120.00"])
    write(os.path.join(folder, "wt", "hillcountry_transfers_%s.csv" % day), buf.getvalue())

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["LeadID", "Status", "Status Date"])
    for i, lead in enumerate(sold(leads, "1102")[::5]):
        w.writerow([lead["Lead_ID"], r.choice(["Contacted", "Sold", "No Answer x3", "Dupe", "Left VM"]),
                    "%s/%s/%s 18:%02d" % (day[4:6], day[6:], day[:4], i % 60)])
    write(os.path.join(folder, "dispo", "harbor_dispositions_%s.csv" % day), buf.getvalue())
    os.makedirs(inbox + ".done", exist_ok=True)
    open(done, "w").close()


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: history.py INBOX FROM DAYS ROWS")
    inbox, first, n, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    d0 = datetime.datetime.strptime(first, "%Y%m%d")
    days = [(d0 + datetime.timedelta(days=i)).strftime("%Y%m%d") for i in range(n)]
    with Pool(2) as pool:
        pool.map(day_files, [(inbox, d, rows) for d in days])


if __name__ == "__main__":
    main()
