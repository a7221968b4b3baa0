#!/usr/bin/python3
"""Write N Invoca calls (F2 CSV) and N inbound-call transactions (a lead_call
stream) that belong to them, for the call-lead-join benchmark.  Phones are
written +1XXXXXXXXXX so that the peers need no normalising.
  calls_bench.py N SEED CALLS.csv LEADS.tsv"""
import random, sys

n, seed, calls_path, leads_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = random.Random(seed)
base = 1793500000  # 2026-11-01 UTC
campaigns = ["MED-IPR-TX", "MED-IPR-FL", "HLTH-IPR-CA", "FE-IPR-GA"]
with open(calls_path, "w") as calls, open(leads_path, "w") as leads:
    calls.write("transaction_id,complete_call_id,transaction_type,corrects_transaction_id,start_time_local,"
                "start_time_utc,calling_phone_number,destination_phone_number,duration,connect_duration,"
                "advertiser_campaign_id_from_network,advertiser_campaign_name,affiliate_name,"
                "call_result_description_detail,repeat_calling_phone_number\n")
    leads.write("transaction_id\ttransaction_type\ttransaction_at\tlead_id\tlead_type\tlead_received_at\tcampaign\t"
                "amount\tphone\tsrc_file\tsrc_line\n")
    cb, lb = [], []
    for i in range(n):
        start = base + r.randrange(30 * 86400)
        phone = "+1%d%07d" % (r.randrange(201, 989), r.randrange(2000000, 9999999))
        camp = campaigns[i % 4]
        cid = "%08X-%08X" % (r.randrange(2**32), i)
        cb.append("T%d,%s,Call,,,%d000,%s,866-555-0100,%d,%d,%s,Campaign,Call Source LLC,Connected,false\n" % (
            i, cid, start, phone, 300, 290, camp))
        received = start + r.randrange(5, 120)
        hh = received % 86400
        import time
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(received))
        lb.append("%d\tpurchase\t%s\t%d\tInbound Call\t%s\t%s\t%d.%02d\t%s\tb.csv\t%d\n" % (
            9000000 + i, stamp, 5000000 + i, stamp, camp, r.randrange(20, 90), r.randrange(100), phone, i + 2))
        if len(cb) == 20000:
            calls.write("".join(cb)); leads.write("".join(lb)); cb, lb = [], []
    calls.write("".join(cb)); leads.write("".join(lb))
