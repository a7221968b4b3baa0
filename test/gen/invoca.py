#!/usr/bin/python3
"""Write the sample Invoca calls exports (F2 of feeds.md) into samples/inbox,
one call for most inbound-call leads of the boberdoo samples, with the
quirks of F2: several leads on one call, a caller who calls twice, calls
that carry no lead, Post Call Event rows, corrections (one of them for a
call of the day before), phones as 512-555-0199 or +15125550199, a local
time with its offset beside the UTC epoch milliseconds.  Deterministic."""
import csv, datetime, io, os, random, zoneinfo

from common import DAYS, INBOX, boberdoo_rows, call_id, digits

NY = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.timezone.utc
COLUMNS = ["transaction_id", "complete_call_id", "transaction_type", "corrects_transaction_id",
           "start_time_local", "start_time_utc", "calling_phone_number", "destination_phone_number",
           "duration", "connect_duration", "advertiser_campaign_id_from_network", "advertiser_campaign_name",
           "affiliate_name", "call_result_description_detail", "repeat_calling_phone_number"]
NAMES = {"MED-IPR-TX": "Medicare IPR Texas", "HLTH-IPR-CA": "Health IPR California", "MED-IPR-XX": "Medicare IPR (unassigned)"}


class Writer:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.rows = []
        self.n = 0

    def tx(self):
        self.n += 1
        return "%08X-%08X" % (self.r.randrange(2**32), self.n)

    def call(self, cid, start_utc, phone, campaign, result="Connected", repeat="false", local=None):
        local = local or start_utc.astimezone(NY)
        d = digits(phone)
        duration = self.r.randrange(60, 900) if result == "Connected" else self.r.randrange(5, 40)
        row = dict(transaction_id=self.tx(), complete_call_id=cid, transaction_type="Call",
                   corrects_transaction_id="",
                   start_time_local=local.strftime("%Y-%m-%d %H:%M:%S ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:],
                   start_time_utc=str(int(start_utc.timestamp()) * 1000),
                   calling_phone_number=("%s-%s-%s" % (d[:3], d[3:6], d[6:])) if self.r.random() < 0.5 else "+1" + d,
                   destination_phone_number="866-555-0100", duration=duration,
                   connect_duration=duration - self.r.randrange(3, 15) if result == "Connected" else 0,
                   advertiser_campaign_id_from_network=campaign, advertiser_campaign_name=NAMES.get(campaign, campaign),
                   affiliate_name="Call Source LLC", call_result_description_detail=result,
                   repeat_calling_phone_number=repeat)
        self.rows.append(row)
        if self.r.random() < 0.3:
            self.rows.append(dict(row, transaction_id=self.tx(), transaction_type="Post Call Event"))
        return row

    def correct(self, row, **changes):
        fixed = dict(row, transaction_id=self.tx(), corrects_transaction_id=row["transaction_id"], **changes)
        self.rows.append(fixed)

    def write(self, day, inbox=INBOX):
        path = os.path.join(inbox, day, "invoca_calls_%s.csv" % day)
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(self.rows)


def utc(day, et):
    return datetime.datetime.strptime(day + " " + et, "%Y%m%d %H:%M:%S").replace(tzinfo=NY).astimezone(UTC)


def main():
    writers = {day: Writer(int(day)) for day in DAYS}
    for day in DAYS:
        w = writers[day]
        calls = [r for r in boberdoo_rows(day) if r["Lead_Type"] == "Inbound Call"
                 and r["Transaction_Type"] == "Purchase" and not digits(r["Phone"]).startswith("713555")]
        for i, r in enumerate(calls):
            if i % 9 == 4:
                continue  # a lead no call explains: unmatched, its revenue kept
            received = utc(day, r["Lead_Received"][11:])
            w.call(call_id(r["Lead_ID"]), received - datetime.timedelta(seconds=5 + (i * 7) % 80), r["Phone"], r["Campaign"])
            if i % 11 == 3:  # the same caller gives up on a second call: no lead
                w.call("%08X-0000FFFF" % (int(r["Lead_ID"]) * 7 % 2**32), received + datetime.timedelta(minutes=40),
                       r["Phone"], r["Campaign"], result="Caller Hung Up", repeat="true")
        for i in range(3):  # calls that never reached a buyer
            w.call("%08X-0000AAAA" % (int(day) * 10 + i), utc(day, "%02d:15:00" % (11 + i)), "(210) 555-01%02d" % i,
                   "MED-IPR-TX", result="IVR Abandon")

    # The scenarios of the boberdoo samples' last rows (test/gen/boberdoo.py, call_scenarios).
    base = 26110100 + 95000
    w = writers["20261101"]
    w.call(call_id(base + 1), utc("20261101", "14:00:00"), "713-555-0101", "MED-IPR-TX")  # 2 leads
    w.call(call_id(base + 3), utc("20261101", "15:10:00"), "+17135550102", "MED-IPR-TX")  # 3 leads
    w.call(call_id(base + 7), utc("20261101", "10:00:00"), "713-555-0103", "MED-IPR-TX")  # calls twice
    w.call(call_id(base + 8), utc("20261101", "16:00:00"), "713-555-0103", "MED-IPR-TX", repeat="true")
    # 01:30:40 happened twice that night: this call is in the second, standard-time pass.
    second_pass = datetime.datetime(2026, 11, 1, 6, 30, 40, tzinfo=UTC)
    w.call(call_id(base + 9), second_pass, "713-555-0104", "MED-IPR-TX", local=second_pass.astimezone(NY))
    w.call(call_id(26110200 + 95000 + 1), utc("20261101", "23:58:50"), "713-555-0105", "MED-IPR-TX")  # its lead: next day
    wrong = w.call(call_id(base + 10), utc("20261101", "18:00:00"), "713-555-0106", "MED-IPR-XX")
    # The next day's file corrects that call's campaign, and another of its own calls' durations.
    writers["20261102"].correct(wrong, advertiser_campaign_id_from_network="MED-IPR-TX",
                                advertiser_campaign_name=NAMES["MED-IPR-TX"])
    first = next(r for r in writers["20261102"].rows if r["transaction_type"] == "Call")
    writers["20261102"].correct(first, duration=int(first["duration"]) + 60)
    for day in DAYS:
        writers[day].write(day)


if __name__ == "__main__":
    main()
