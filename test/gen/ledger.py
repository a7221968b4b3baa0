#!/usr/bin/python3
"""Write a large F3 ledger in Acme's shape (BOM, CRLF, "$1,234.50",
"($95.00)" chargebacks), for the cpa-normalize benchmark.
  ledger.py ROWS SEED > report.csv"""
import random, sys

rows, seed = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(seed)
out = sys.stdout.buffer
out.write("\ufeffLead ID,Customer Phone,Sale Date,Policy Type,Annual Premium,Commission Due\r\n".encode())
buf = []
for i in range(rows):
    lead = 26000000 + r.randrange(5000000)
    phone = "(%d) %d-%04d" % (r.randrange(201, 989), r.randrange(200, 999), r.randrange(10000))
    fee = r.randrange(5000, 150000)
    money = "{:,.2f}".format(fee / 100)
    due = '"($%s)"' % money if r.random() < 0.05 else '"$%s"' % money
    buf.append('%d,%s,%02d/%02d/2026,%s,"$3,450.00",%s\r\n' % (
        lead, phone, r.randrange(1, 13), r.randrange(1, 29), r.choice(["Health PPO", "Health HMO", "Dental"]), due))
    if len(buf) == 10000:
        out.write("".join(buf).encode())
        buf = []
out.write("".join(buf).encode())
