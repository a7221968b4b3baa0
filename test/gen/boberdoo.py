#!/usr/bin/python3
"""Write a real-shaped boberdoo transactions export (F1 of feeds.md).

  boberdoo.py DAY ROWS SEED [--shuffle-columns] [--no-quirks] [--wide-ids] [--without COLUMN] > export.csv

DAY is YYYYMMDD (ET).  With quirks (the default) the file holds, at fixed
places, every quirk of F1 and a few broken rows that split-by-unit must
reject; the rest is random but deterministic for a given SEED.  --without
leaves a column out, as an export from before a custom field was added
(the values drawn stay the same).  Used to make the committed samples
(20261031: 240 rows, seed 1031, --without Custom_Coverage_Type) and the
1M-row benchmark input.
"""
import csv, datetime, io, random, sys

COLUMNS = ["Transaction_ID", "Transaction_Type", "Transaction_Date", "Lead_ID",
           "Lead_Type", "Lead_Received", "SRC", "Vendor_ID", "Partner_ID",
           "Partner_Name", "Filter_Set_ID", "Filter_Set_Name", "Campaign",
           "Amount", "Lead_Cost", "Phone", "Email", "First_Name", "Last_Name",
           "State", "Zip", "Times_Sold", "Refund_Reason", "Test_Lead",
           "Custom_Coverage_Type", "Custom_TCPA_Consent"]

PLAIN = [(1101, "Bluebonnet Insurance Group", 30111, "Health - Shared - TX"),
         (1102, 'Harbor & Main "HMA" Agency', 30112, "Medicare - Exclusive"),
         (1103, "Pinecrest Benefits, Inc.", 30113, "FE - All States")]
CPA = [(1043, "Acme Health Brokers, LLC", 20101, "CPA - Health"),
       (2210, "Lone Star Senior Benefits", 20102, "CPA - Medicare - TX"),
       (3007, "Gulf Coast Final Expense", 20103, "CPT - FE")]
WT = [(1300, "Hill Country Transfers", 20931, "WT - Medicare - TX"),
      (1300, "Hill Country Transfers", 20932, "WT - Health - TX"),
      (1301, "Magnolia Warm Transfer Co.", 20940, "WT - FE - South")]
CALL = [(1200, "Prairie Call Center", 40001, "Calls - Medicare", "MED-IPR-TX"),
        (1201, "Summit Medicare Partners", 40002, "Calls - Medicare 2", "MED-IPR-TX"),
        (1202, "Redwood Health Calls", 40003, "Calls - Health", "HLTH-IPR-CA")]
TYPES = ["Health Insurance", "Medicare", "Final Expense", "Auto Insurance"]
FIRST = ["José", "Zoë", "María", "John", "Ana", "Li", "Chloé", "Renée", "Björn", "Sam"]
LAST = ["O'Brien", "Núñez", "Smith", "García", "Nguyen", "Müller", "Doe", "Łukasz"]
STATES = [("TX", "78701"), ("MA", "02134"), ("NJ", "07030"), ("CA", "94103"), ("FL", "33101")]


def phone_text(r, digits):
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return r.choice([f"({a}) {b}-{c}", f"{a}{b}{c}", f"+1 {a}-{b}-{c}", f"{a}.{b}.{c}"])


def main():
    day, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    quirks = "--no-quirks" not in sys.argv
    r = random.Random(seed)
    d0 = datetime.datetime.strptime(day, "%Y%m%d")
    cols = COLUMNS[:]
    if "--shuffle-columns" in sys.argv:
        r.shuffle(cols)
    if "--without" in sys.argv:
        cols.remove(sys.argv[sys.argv.index("--without") + 1])
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(cols)
    # The samples' ids (261101000..., 26110100...) leave room for a few
    # hundred rows a day; --wide-ids leaves ten million, for a history.
    wide = "--wide-ids" in sys.argv
    tid = int(day[2:]) * (10**7 if wide else 1000)
    lid = int(day[2:]) * (10**7 if wide else 100)
    secs = sorted(r.randrange(0, 86400) for _ in range(rows))
    recent = []                          # (lead_id, partner, amount, phone) sold today

    def emit(rec):
        w.writerow([rec.get(c, "") for c in cols])

    def base(t, lead_id, phone, kind):
        nonlocal tid
        tid += 1
        st, zp = r.choice(STATES)
        at = d0 + datetime.timedelta(seconds=t)
        rec = dict(Transaction_ID=tid, Transaction_Type="Purchase",
                   Transaction_Date=at.strftime("%Y-%m-%d %H:%M:%S"),
                   Lead_ID=lead_id, Lead_Type=kind,
                   Lead_Received=(at - datetime.timedelta(seconds=r.randrange(5, 40))).strftime("%Y-%m-%d %H:%M:%S"),
                   SRC=r.choice(["FB_HLTH_01", "GOOG_MED_07", "TT_FE_02", "NATIVE_12"]),
                   Vendor_ID=r.choice([77, 78, 91]), Phone=phone_text(r, phone),
                   Email=r.choice(["", f"lead{lead_id}@example.com"]),
                   First_Name=r.choice(FIRST), Last_Name=r.choice(LAST), State=st, Zip=zp,
                   Times_Sold=1, Test_Lead=0,
                   Custom_Coverage_Type=r.choice(["Individual", "Family", ""]),
                   Custom_TCPA_Consent=r.choice(["Y", "Y", "N"]))
        return rec

    for i, t in enumerate(secs):
        lid += 1
        phone = f"{r.randrange(201, 989)}{r.randrange(200, 999)}{r.randrange(0, 10000):04d}"
        roll = r.random()
        if roll < 0.15:
            p, pn, fs, fsn, camp = r.choice(CALL)
            rec = base(t, lid, phone, "Inbound Call")
            rec.update(Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs, Filter_Set_Name=fsn,
                       Campaign=camp, Amount=r.choice(["45.00", "60.00", "35.50"]), Lead_Cost="18.00",
                       SRC="CALL_NET_01", Email="")
        elif roll < 0.27:
            p, pn, fs, fsn = r.choice(WT)
            rec = base(t, lid, phone, r.choice(TYPES[:3]))
            rec.update(Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs, Filter_Set_Name=fsn,
                       Amount=r.choice(["25.00", "30.00"]), Lead_Cost="9.75")
        elif roll < 0.42:
            p, pn, fs, fsn = r.choice(CPA)
            rec = base(t, lid, phone, r.choice(TYPES[:3]))
            rec.update(Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs, Filter_Set_Name=fsn,
                       Amount="0.01", Lead_Cost="11.20")
        else:
            p, pn, fs, fsn = r.choice(PLAIN)
            rec = base(t, lid, phone, r.choice(TYPES))
            if roll > 0.90:
                rec["SRC"] = r.choice(["DRIP_MED_03", "DRIP_HLTH_01"])
            rec.update(Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs, Filter_Set_Name=fsn,
                       Amount=r.choice(["12.50", "18.00", "22.75", "1,250.00" if False else "9.99"]),
                       Lead_Cost=r.choice(["4.10", "6.00", "7.25"]))
        emit(rec)
        recent.append((rec["Lead_ID"], rec, phone))

        if not quirks:
            continue
        # Shared lead: the same lead sold to a second plain buyer.
        if i % 40 == 7 and rec["Lead_Type"] != "Inbound Call":
            p, pn, fs, fsn = PLAIN[(i // 40) % 3]
            second = dict(rec)
            tid += 1
            second.update(Transaction_ID=tid, Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs,
                          Filter_Set_Name=fsn, Amount="14.00", Times_Sold=2)
            emit(second)
        # Refund of a lead sold on an earlier day.
        if i % 50 == 11:
            tid += 1
            old = dict(rec)
            old.update(Transaction_ID=tid, Transaction_Type="Refund", Lead_ID=lid - 100000 - i,
                       Amount="-" + rec["Amount"].lstrip("-"), Refund_Reason=r.choice(
                           ["Bad Phone Number", "Duplicate", "Wrong Number, disconnected"]))
            emit(old)
        # Test traffic.
        if i % 45 == 3:
            tid += 1
            test = dict(rec)
            test.update(Transaction_ID=tid, Lead_ID=lid + 5000000, Test_Lead=1,
                        First_Name="Test", Last_Name="Lead", Phone="(555) 555-5555")
            emit(test)

    if quirks:
        quirk_rows(emit, base, d0, r, day)
        # Rows no CSV writer would make: a short row and Latin-1 bytes.
        out.flush()
        buf = io.StringIO()
        bw = csv.writer(buf, lineterminator="\r\n")
        bw.writerow([tid + 1, "Purchase", day[:4] + "-" + day[4:6] + "-" + day[6:] + " 12:00:00"])
        sys.stdout.buffer.write(buf.getvalue().encode())
        bad = base(43200, 99999999, "5125550199", "Medicare")
        p, pn, fs, fsn = PLAIN[1]
        bad.update(Transaction_ID=tid + 2, Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs,
                   Filter_Set_Name=fsn, Amount="10.00", Lead_Cost="4.00", First_Name="JosXE9")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow([bad.get(c, "") for c in cols])
        sys.stdout.buffer.write(buf.getvalue().encode().replace(b"JosXE9", b"Jos\xe9"))
        # Inbound calls that exercise call-lead-join, last so that nothing above moves.
        buf = io.StringIO()
        cw = csv.writer(buf, lineterminator="\r\n")
        for i, rec in enumerate(call_scenarios(day)):
            full = {c: "" for c in cols}
            full.update(Transaction_ID=tid + 10 + i, Transaction_Type="Purchase", Vendor_ID=91, Times_Sold=1,
                        Test_Lead=0, Lead_Cost="18.00", SRC="CALL_NET_01", State="TX", Zip="77002")
            full.update(rec)
            cw.writerow([full.get(c, "") for c in cols])
        sys.stdout.buffer.write(buf.getvalue().encode())
    out.flush()


CALL_PARTNERS = {1200: ("Prairie Call Center", 40001, "Calls - Medicare"),
                 1201: ("Summit Medicare Partners", 40002, "Calls - Medicare 2"),
                 1202: ("Redwood Health Calls", 40003, "Calls - Health")}


def call_scenarios(day):
    """Inbound-call leads for call-lead-join's cases (feeds.md F2): a call
    carrying two leads and one carrying three, a caller who calls twice, a
    call in the repeated hour, a lead of a call that started before
    midnight, a lead whose call's campaign a correction fixes, and a lead
    no call explains.  Phones 713-555-01xx are theirs alone."""
    d = day[:4] + "-" + day[4:6] + "-" + day[6:]

    def lead(lead_id, phone, received, partner, amount, lead_type="Inbound Call", campaign="MED-IPR-TX"):
        name, fs, fsn = CALL_PARTNERS.get(partner, ("Bluebonnet Insurance Group", 30111, "Health - Shared - TX"))
        return dict(Lead_ID=lead_id, Lead_Type=lead_type, Transaction_Date=d + " " + received,
                    Lead_Received=d + " " + received, Partner_ID=partner, Partner_Name=name,
                    Filter_Set_ID=fs, Filter_Set_Name=fsn, Campaign=campaign if lead_type == "Inbound Call" else "",
                    Amount=amount, Phone=phone, First_Name="Caller", Last_Name="Sample")

    base = int(day[2:]) * 100 + 95000
    if day == "20261101":
        return [
            lead(base + 1, "(713) 555-0101", "14:00:20", 1200, "45.00"),
            lead(base + 2, "713-555-0101", "14:01:35", 1201, "60.00"),
            lead(base + 3, "7135550102", "15:10:15", 1200, "35.50"),
            lead(base + 4, "713.555.0102", "15:11:00", 1201, "45.00"),
            lead(base + 5, "+1 713-555-0102", "15:12:30", 1202, "60.00"),
            lead(base + 6, "7135550103", "09:00:00", 1101, "12.50", lead_type="Health Insurance"),
            lead(base + 7, "7135550103", "10:00:30", 1200, "45.00"),
            lead(base + 8, "7135550103", "16:00:40", 1200, "45.00"),
            lead(base + 9, "7135550104", "01:31:10", 1200, "45.00"),
            lead(base + 10, "7135550106", "18:00:30", 1201, "60.00"),
            lead(base + 11, "7135550107", "19:00:00", 1200, "45.00"),
        ]
    if day == "20261102":
        return [lead(base + 1, "7135550105", "00:00:20", 1200, "45.00")]
    return []


def quirk_rows(emit, base, d0, r, day):
    """Rows that exercise F1's quirks and split-by-unit's reject reasons."""
    lid = int(day[2:]) * 100 + 90000
    p, pn, fs, fsn = PLAIN[0]

    def plain(sec, **kw):
        nonlocal lid
        lid += 1
        rec = base(sec, lid, "5125550199", "Health Insurance")
        rec.update(Partner_ID=p, Partner_Name=pn, Filter_Set_ID=fs, Filter_Set_Name=fsn,
                   Amount="10.00", Lead_Cost="4.00")
        rec.update(kw)
        emit(rec)

    plain(3600, First_Name="Mary\r\nAnn", Last_Name='O"Neil, Jr.', Phone="(512) 555-0199")
    plain(3700, First_Name="José", Last_Name="Núñez 😀", Zip="02134", Phone="5125550199")
    plain(3800, Zip="00501", Phone="+1 512-555-0199", Partner_Name="Acme, \"Quoted\" Partner")
    plain(3900, Phone="512.555.0199")
    plain(4000, Phone="+15125550199")
    if day == "20261101":
        # 01:30 happens twice this night; boberdoo writes no offset.
        plain(5400, Transaction_Date="2026-11-01 01:30:00", Lead_Received="2026-11-01 01:29:40")
    # Broken rows, one per reject reason.
    plain(4100, Phone="555-0199")                     # 7 digits
    plain(4200, Amount="12.5.0")                      # bad money
    plain(4300, Transaction_Date="2026-13-01 10:00:00")
    plain(4400, Transaction_Type="Chargeback")
    plain(4500, Transaction_Type="Refund", Amount="10.00")  # refund must be negative
    plain(4600, Lead_ID="")                           # required value missing


if __name__ == "__main__":
    main()
