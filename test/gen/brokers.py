#!/usr/bin/python3
"""Write the sample broker files (F3, F4, F5 of feeds.md) into samples/inbox,
from the leads of the sample boberdoo exports, with every quirk of their
formats.  Deterministic: run it again and nothing changes."""
import csv, datetime, io, os, random, zipfile, zoneinfo

from common import DAYS, INBOX, boberdoo_rows, call_id, digits

UTC = datetime.timezone.utc
NY = zoneinfo.ZoneInfo("America/New_York")
CHI = zoneinfo.ZoneInfo("America/Chicago")


def utc_of(et_text):
    return datetime.datetime.strptime(et_text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=NY).astimezone(UTC)


def out(day, kind, name):
    folder = os.path.join(INBOX, day, kind)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def purchases(rows, partner):
    return [r for r in rows if r["Partner_ID"] == partner and r["Transaction_Type"] == "Purchase"]


def acme_ledger(rows_by_day):
    """1043: CSV, UTF-8 with BOM, CRLF, "$1,234.50", chargebacks "($95.00)"."""
    leads = purchases(rows_by_day["20261031"] + rows_by_day["20261101"], "1043")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Lead ID", "Customer Phone", "Sale Date", "Policy Type", "Annual Premium", "Commission Due"])
    fees = ["$95.00", "$120.50", "$1,150.00", "$95.00", "$210.25"]
    sold = leads[:5]
    for i, r in enumerate(sold):
        w.writerow([r["Lead_ID"], r["Phone"], "11/0%d/2026" % (1 + i % 2), ["Health PPO", "Health HMO", "Dental"][i % 3],
                    "$3,450.00", fees[i]])
    # A chargeback: the first sale reversed.
    w.writerow([sold[0]["Lead_ID"], sold[0]["Phone"], "11/02/2026", "Health PPO", "$3,450.00", "($95.00)"])
    # A row no program can use: no lead id.
    w.writerow(["N/A", "(512) 555-0100", "11/02/2026", "Health PPO", "$1,000.00", "$80.00"])
    with open(out("20261102", "cpa", "acme_sales_20261102.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())


def lonestar_status(rows_by_day):
    """2210: a zip holding one ';' file; Excel serial days; Pending, Issued, Cancelled."""
    leads = purchases(rows_by_day["20261031"] + rows_by_day["20261101"], "2210")
    serial = lambda d: (datetime.date(2026, 11, d) - datetime.date(1899, 12, 30)).days
    reports = {
        "20261101": [(leads[0], 1, "Pending"), (leads[1], 1, "Pending"), (leads[2], 1, "Issued"),
                     (leads[3], 1, "Issued")],
        "20261102": [(leads[0], 2, "Issued"), (leads[1], 2, "Cancelled"), (leads[2], 2, "Cancelled"),
                     (leads[4], 2, "Pending")],
    }
    for day, items in reports.items():
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(["LEADID", "ENROLL_DT", "STATUS", "CARRIER", "PAYOUT"])
        for r, d, status in items:
            w.writerow([r["Lead_ID"], serial(d), status, "Humana; Gold", "95.5"])
        path = out(day, "cpa", "lonestar_%s.zip" % day)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo("LS_SALES_%s.csv" % day, date_time=(2026, 11, int(day[6:]), 6, 0, 0))
            z.writestr(info, buf.getvalue())


def gulfcoast_status(rows_by_day):
    """3007: tab-separated, two title lines, "Nov 24, 2026", negative fee on Chargeback."""
    leads = purchases(rows_by_day["20261031"] + rows_by_day["20261101"] + rows_by_day["20261102"], "3007")
    lines = ["Gulf Coast FE - Sales Report", "Generated 11/02/2026",
             "Sale Date\tLead #\tStatus\tFace Amount\tOur Fee"]
    items = [(leads[0], "Submitted", "95.00"), (leads[1], "Approved", "95.00"), (leads[2], "Declined", "0.00"),
             (leads[0], "Approved", "95.00"), (leads[3], "Approved", "95.00"), (leads[3], "Chargeback", "-95.00")]
    for i, (r, status, fee) in enumerate(items):
        lines.append("Nov %d, 2026\t%s\t%s\t$10,000\t%s" % (1 + i % 2, r["Lead_ID"], status, fee))
    with open(out("20261102", "cpa", "gulfcoast_fe_20261102.txt"), "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def transfers(rows, partner):
    return [r for r in rows if r["Partner_ID"] == partner and r["Transaction_Type"] == "Purchase"]


def hillcountry_wt(rows_by_day):
    """1300: every transfer, Sold Y or N, US Central, "1:07 PM", "$120.00"."""
    for day in ("20261101", "20261102"):
        rows = transfers(rows_by_day[day], "1300")
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["Transfer Date", "Transfer Time", "Customer Phone", "Agent", "Sold (Y/N)", "Premium", "Commission"])
        for i, r in enumerate(rows[:8]):
            at = (utc_of(r["Lead_Received"]) + datetime.timedelta(minutes=2 + i % 5)).astimezone(CHI)
            sold = i % 3 != 1
            d = digits(r["Phone"])
            w.writerow([at.strftime("%m/%d/%Y"), at.strftime("%-I:%M %p"), "(%s) %s-%s" % (d[:3], d[3:6], d[6:]),
                        ["Dale", "Rosa", "Kim"][i % 3], "Y" if sold else "N",
                        "$1,200.00" if sold else "", "$120.00" if sold else ""])
        # A transfer that was never a boberdoo warm transfer: unmatched.
        w.writerow(["11/%s/2026" % day[6:], "3:15 PM", "(512) 555-0142", "Dale", "Y", "$900.00", "$120.00"])
        with open(out(day, "wt", "hillcountry_transfers_%s.csv" % day), "w", newline="") as f:
            f.write(buf.getvalue())


def magnolia_wt(rows_by_day):
    """1301: '|'-separated, sales only, US Eastern, minute precision."""
    rows = transfers(rows_by_day["20261101"] + rows_by_day["20261102"], "1301")
    lines = ["Phone Number|Transfer Timestamp|Disposition|Commission Amount"]
    for i, r in enumerate(rows[:6]):
        at = (utc_of(r["Lead_Received"]) + datetime.timedelta(minutes=3)).astimezone(NY)
        lines.append("%s|%s|SOLD|%s" % (digits(r["Phone"]), at.strftime("%Y-%m-%d %H:%M"), ["120.00", "95.00", "150.00"][i % 3]))
    with open(out("20261102", "wt", "magnolia_sales_20261102.txt"), "w", newline="") as f:
        f.write("\n".join(lines) + "\n")


def harbor_dispo(rows_by_day):
    """1102, by Lead_ID: CSV, 11/02/2026 14:05 US Eastern; a status no map knows."""
    rows = purchases(rows_by_day["20261031"] + rows_by_day["20261101"], "1102")
    statuses = ["Contacted", "Sold", "No Answer x3", "Callback 11/30", "Not Interested", "Dupe",
                "Spanish Speaker", "SOLD - Policy Issued", "Left VM", "Contacted"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["LeadID", "Status", "Status Date"])
    for i, r in enumerate(rows[:10]):
        w.writerow([r["Lead_ID"], statuses[i], "11/02/2026 %02d:%02d" % (9 + i, 5 * i)])
    w.writerow([rows[0]["Lead_ID"], "sold ", "11/02/2026 19:30"])  # case and spaces fold
    w.writerow([rows[1]["Lead_ID"], "Gone Fishing", "11/02/2026 20:00"])
    with open(out("20261102", "dispo", "harbor_dispositions_20261102.csv"), "w", newline="") as f:
        f.write(buf.getvalue())


def bluebonnet_dispo(rows_by_day):
    """1101, by phone: tab-separated, US Central, 2026-11-02 14:05:00."""
    rows = purchases(rows_by_day["20261101"], "1101")
    statuses = ["Bad #", "Wrong Number", "Disconnected", "DNC", "Duplicate", "Pending", "On Hold",
                "Return Requested", "Already Purchased", "Spanish Speaker"]
    lines = ["Phone\tDisposition\tUpdated"]
    for i, r in enumerate(rows[:10]):
        lines.append("%s\t%s\t2026-11-02 %02d:%02d:00" % (r["Phone"], statuses[i], 8 + i, 10 + i))
    lines.append("555-0199\tContacted\t2026-11-02 18:00:00")  # no area code: rejected
    with open(out("20261102", "dispo", "bluebonnet_feedback_20261102.tsv"), "w", newline="") as f:
        f.write("\n".join(lines) + "\n")


def prairie_dispo(rows_by_day):
    """1200, calls by Invoca complete_call_id: ';' CSV, "Nov 2, 2026"."""
    rows = [r for r in rows_by_day["20261101"] if r["Lead_Type"] == "Inbound Call" and r["Partner_ID"] == "1200"]
    statuses = ["SOLD - Policy Issued", "Do Not Call", "Callback 12/01", "No Answer x3", "Not Interested",
                "Return Requested", "Voicemail Full"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["Call ID", "Result", "Date"])
    for i, r in enumerate(rows[:7]):
        w.writerow([call_id(r["Lead_ID"]), statuses[i], "Nov %d, 2026" % (2 if i < 5 else 3)])
    with open(out("20261102", "dispo", "prairie_calls_20261102.csv"), "w", newline="") as f:
        f.write(buf.getvalue())


def main():
    random.seed(7)
    rows_by_day = {day: boberdoo_rows(day) for day in DAYS}
    acme_ledger(rows_by_day)
    lonestar_status(rows_by_day)
    gulfcoast_status(rows_by_day)
    hillcountry_wt(rows_by_day)
    magnolia_wt(rows_by_day)
    harbor_dispo(rows_by_day)
    bluebonnet_dispo(rows_by_day)
    prairie_dispo(rows_by_day)


if __name__ == "__main__":
    main()
