#!/usr/bin/env bats
# bats file_tags=asan
# rs-copy against a real PostgreSQL (its Redshift path: test/redshift.bats).

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	pg_setup_file
	pg_file_db rs_copy
	split-by-unit --rules "$RULES" -o "$BATS_FILE_TMPDIR/1101" --rejects /dev/null "$DAY1101" 2>/dev/null
}

teardown_file() {
	pg_drop_file_db
	pg_teardown_file
}

setup() {
	pg_empty_file_db
	LEAD="$BATS_FILE_TMPDIR/1101/lead.tsv"
}

# The lead stream with other transactions: each id (nine digits) after K (a transaction is once
# in the unit tables: catalog/streams.txt), written to FILE.
renumbered() {	# K FILE
	awk -F'\t' -v OFS='\t' -v k="$1" 'NR > 1 && NF > 1 { $1 = k $1 } 1' "$LEAD" >"$2"
}

@test "--help, --version, usage errors" {
	run rs-copy --help
	assert_success
	assert_line --index 0 "rs-copy: load TSV streams into unit tables, each replacing exactly one batch"
	run rs-copy --version
	assert_output "rs-copy (leads-and-calls) 0.1.0"
	run rs-copy --batch 1 "$LEAD"
	assert_failure 2
	assert_line --index 0 "rs-copy: --table SCHEMA.TABLE is required: names of letters, digits and _"
	run rs-copy --table units.lead --batch "2026 11 01" "$LEAD"
	assert_failure 2
	run rs-copy --table units.lead --batch 1 --dry-run "$LEAD"
	assert_failure 2
	# Batch names up to 128 characters; under the sanitizers this also guards the statement buffers.
	long=$(printf 'b%.0s' $(seq 128))
	run --separate-stderr rs-copy --table units.lead --batch "$long" --stage s3://b/p --dry-run "$LEAD"
	assert_success
	assert_line "DELETE FROM \"units\".\"lead\" WHERE batch_id IN ('$long');"
	rm -rf "$(sed -n 's/^# 4 parts and a manifest a load, in //p' <<<"$output")"
	run rs-copy --table units.lead --batch "${long}b" --stage s3://b/p --dry-run "$LEAD"
	assert_failure 2
	run rs-copy --table units.lead --batch 1 --stage s3://b/p "$LEAD"
	assert_failure 2
	assert_line --index 0 "rs-copy: loading from S3 needs --iam-role or RS_IAM_ROLE"
}

@test "a batch loads whole, and loading it again replaces it exactly" {
	run --separate-stderr rs-copy --table units.lead --batch 20261101 "$LEAD"
	assert_success
	assert_equal "$stderr" "rs-copy: rows in 138, loaded 138 into units.lead batch 20261101 (replaced 0)"
	assert_equal "$(sql "SELECT COUNT(*), SUM(amount) FROM units.lead")" "138|2018.95"
	renumbered 1 "$BATS_TEST_TMPDIR/other.tsv"
	rs-copy --table units.lead --batch 20261102 "$BATS_TEST_TMPDIR/other.tsv" 2>/dev/null
	run --separate-stderr rs-copy --table units.lead --batch 20261101 "$LEAD"
	assert_equal "$stderr" "rs-copy: rows in 138, loaded 138 into units.lead batch 20261101 (replaced 138)"
	assert_equal "$(sql "SELECT batch_id, COUNT(*) FROM units.lead GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" "20261101|138 20261102|138 "
	# The values are the stream's, typed: UTC times, cents, E.164, zips with leading zeros.
	assert_equal "$(sql "SELECT transaction_at, amount, phone, zip, src_file, src_line FROM units.lead WHERE transaction_id = 261101279 AND batch_id = '20261101'")" \
		"2026-11-01 06:01:40|10.00|+15125550199|02134|boberdoo_transactions_20261101.csv|281"
	# Empty fields are NULL.
	assert_equal "$(sql "SELECT COUNT(*) FROM units.lead WHERE email IS NULL")" \
		"$((2 * $(column "$LEAD" email | grep -c '^$')))"
}

@test "a stream from stdin, and gzip-compressed" {
	renumbered 1 "$BATS_TEST_TMPDIR/lead.tsv"
	gzip -c "$BATS_TEST_TMPDIR/lead.tsv" >"$BATS_TEST_TMPDIR/lead.tsv.gz"
	rs-copy --table units.lead --batch a <"$LEAD" 2>/dev/null
	rs-copy --table units.lead --batch b "$BATS_TEST_TMPDIR/lead.tsv.gz" 2>/dev/null
	assert_equal "$(sql "SELECT batch_id, COUNT(*), SUM(amount) FROM units.lead GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" "a|138|2018.95 b|138|2018.95 "
}

@test "backslashes, quotes, accents and 4-byte UTF-8 load literally" {
	printf 'partner_id\tkey_type\tkey\tstatus_raw\tstatus\tstatus_at\tsrc_file\tsrc_line\n' >"$BATS_TEST_TMPDIR/d.tsv"
	printf '1\tphone\tC:\\new\\table\\.\t\\.\tcontacted\t\t\\N\t2\n' >>"$BATS_TEST_TMPDIR/d.tsv"
	printf '2\tlead_id\t"quoted" and '"'"'single'"'"'\tJosé Núñez 😀\tsold\t2026-11-01 01:30:00\tf.csv\t3\n' >>"$BATS_TEST_TMPDIR/d.tsv"
	printf '\\.\n' >"$BATS_TEST_TMPDIR/dot"
	# Made by hand, it has no end line: loaded only when asked for.
	run --separate-stderr rs-copy --table units.dispositions --batch weird "$BATS_TEST_TMPDIR/d.tsv"
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "rs-copy: d.tsv:4: the stream ends without its end line: what wrote it did not finish; nothing is loaded (a stream made by hand: --no-end-line)"
	run --separate-stderr rs-copy --no-end-line --table units.dispositions --batch weird "$BATS_TEST_TMPDIR/d.tsv"
	assert_success
	run psql -X -A -t -F $'\t' -c "SELECT partner_id, key_type, key, status_raw, status, status_at, src_file, src_line FROM units.dispositions ORDER BY partner_id"
	assert_line --index 0 $'1\tphone\tC:\\new\\table\\.\t\\.\tcontacted\t\t\\N\t2'
	assert_line --index 1 $'2\tlead_id\t"quoted" and \'single\'\tJosé Núñez 😀\tsold\t2026-11-01 01:30:00\tf.csv\t3'
	assert_equal "$(sql "SELECT status_at IS NULL FROM units.dispositions WHERE partner_id = 1")" "t"
}

@test "a stream column the table lacks is refused before anything is written" {
	rs-copy --table units.lead --batch 20261101 "$LEAD" 2>/dev/null
	sed '1s/\temail\t/\te_mail\t/' "$LEAD" >"$BATS_TEST_TMPDIR/bad.tsv"
	run rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/bad.tsv"
	assert_failure 1
	assert_line --index 0 "rs-copy: bad.tsv:1: units.lead has no column(s): e_mail"
	cut -s -f2- "$LEAD" >"$BATS_TEST_TMPDIR/short.tsv"
	run rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/short.tsv"
	assert_failure 1
	assert_line --index 0 "rs-copy: short.tsv:1: the stream lacks required column(s) of units.lead: transaction_id"
	run rs-copy --table units.nosuch --batch 20261101 "$LEAD"
	assert_failure 1
	assert_line --index 0 "rs-copy: no table units.nosuch in the database (did scripts/db-init run?)"
	assert_equal "$(sql "SELECT COUNT(*), MIN(batch_id) FROM units.lead")" "138|20261101"
}

@test "a bad row fails the whole load, names its line, and the old batch stands" {
	rs-copy --table units.lead --batch 20261101 "$LEAD" 2>/dev/null
	before=$(sql "SELECT MAX(loaded_at) FROM units.lead")
	awk -F'\t' -v OFS='\t' 'NR == 90 { $14 = "12.x" } { print }' "$LEAD" >"$BATS_TEST_TMPDIR/bad.tsv"
	run rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/bad.tsv"
	assert_failure 1
	assert_line --index 0 --regexp '^rs-copy: bad.tsv:90: units.lead: invalid input syntax for type numeric: "12.x"$'
	assert_line --index 1 "rs-copy: rows in 138, loaded 0: units.lead batch 20261101 unchanged"
	awk 'NR == 40 { sub(/\t[^\t]*$/, "") } { print }' "$LEAD" >"$BATS_TEST_TMPDIR/short.tsv"
	run rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/short.tsv"
	assert_failure 1
	assert_line --index 0 "rs-copy: short.tsv:40: 26 fields, the header has 27"
	assert_equal "$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead")" "138|$before"
}

@test "kill -9 in the middle of a large stream leaves the table unchanged" {
	rs-copy --table units.lead --batch big "$LEAD" 2>/dev/null
	# An endless stream (of new transactions): rs-copy is surely in the middle of it when killed.
	awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } NF > 1 { row[++n] = $0 }
		END { for (k = 1; ; k++) for (i = 1; i <= n; i++) { $0 = row[i]; $1 = k $1; print } }' "$LEAD" |
		rs-copy --table units.lead --batch big 2>/dev/null &
	pid=$!
	# The COPY must have begun and taken rows, or the kill proves nothing.
	copying=
	for _ in $(seq 100); do
		copying=$(sql "SELECT COUNT(*) FROM pg_stat_progress_copy p JOIN pg_database d ON d.oid = p.datid
			WHERE d.datname = current_database() AND p.tuples_processed > 1000")
		[ "$copying" = 1 ] && break
		sleep 0.1
	done
	assert_equal "$copying" 1
	kill -9 "$pid"
	wait "$pid" || true
	assert_equal "$(sql "SELECT COUNT(*), SUM(amount) FROM units.lead")" "138|2018.95"
	# Nothing is left locked: the batch loads again at once.
	run timeout 20 rs-copy --table units.lead --batch big "$LEAD"
	assert_success
}

@test "a producer that fails upstream of rs-copy in a pipe never leads it to commit" {
	rs-copy --table units.lead --batch 20261101 "$LEAD" 2>/dev/null
	before=$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead")
	# The README's own pipe, on an export whose gzip stops half way: split-by-unit fails after some rows.
	gzip -c "$DAY1101" | head -c 9000 >"$BATS_TEST_TMPDIR/cut.csv.gz"
	run bash -c "split-by-unit --rules '$RULES' --unit lead --rejects /dev/null '$BATS_TEST_TMPDIR/cut.csv.gz' 2>/dev/null |
		rs-copy --table units.lead --batch 20261101"
	assert_failure 1
	assert_line --regexp '^rs-copy: stdin:[0-9]+: the stream ends without its end line: what wrote it did not finish; nothing is loaded'
	assert_line --regexp '^rs-copy: rows in [1-9][0-9]*, loaded 0: units.lead batch 20261101 unchanged$'
	# A producer killed in the middle: the same.
	run bash -c "{ head -40 '$LEAD'; kill -9 \$BASHPID; } | rs-copy --table units.lead --batch 20261101"
	assert_failure 1
	assert_line "rs-copy: rows in 39, loaded 0: units.lead batch 20261101 unchanged"
	# An end line that does not count the rows, or lines after it: refused too.
	{ head -40 "$LEAD"; echo "#end 39"; echo "#end 39"; } >"$BATS_TEST_TMPDIR/twice.tsv"
	run rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/twice.tsv"
	assert_failure 1
	assert_line --index 0 "rs-copy: twice.tsv:42: a line after the end line"
	{ head -40 "$LEAD"; echo "#end 50"; } >"$BATS_TEST_TMPDIR/short.tsv"
	run rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/short.tsv"
	assert_failure 1
	assert_line --index 0 "rs-copy: short.tsv:41: the end line says 50 rows; the stream has 39"
	assert_equal "$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead")" "$before"
	# The stream whole: it loads.
	run bash -c "split-by-unit --rules '$RULES' --unit lead --rejects /dev/null '$DAY1101' 2>/dev/null | rs-copy --table units.lead --batch 20261101"
	assert_success
}

@test "every load is recorded, zero rows too, with its run; several batches of a table share one COPY" {
	head -1 "$LEAD" >"$BATS_TEST_TMPDIR/empty.tsv"
	echo "#end 0" >>"$BATS_TEST_TMPDIR/empty.tsv"
	renumbered 1 "$BATS_TEST_TMPDIR/b.tsv"
	run --separate-stderr rs-copy --run night-1 --load "units.lead@a=$LEAD" --load "units.lead@b=$BATS_TEST_TMPDIR/b.tsv" \
		--load "units.lead@c=$BATS_TEST_TMPDIR/empty.tsv"
	assert_success
	assert_equal "$(sql "SELECT table_name, batch_id, run_id, row_count, replaced FROM lac.loads ORDER BY 2" | tr '\n' ' ')" \
		"units.lead|a|night-1|138|0 units.lead|b|night-1|138|0 units.lead|c|night-1|0|0 "
	assert_equal "$(sql "SELECT batch_id, COUNT(*) FROM units.lead GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" "a|138 b|138 "
	# One COPY statement for the three: the server saw one.
	assert_equal "$(sql "SELECT COUNT(DISTINCT loaded_at) FROM units.lead")" 1
	run --separate-stderr rs-copy --run night-2 --load "units.lead@a=$LEAD" --load "units.lead@b=$BATS_TEST_TMPDIR/empty.tsv"
	assert_success
	assert_equal "$stderr" "rs-copy: rows in 138, loaded 138 into units.lead batch a (replaced 138)
rs-copy: rows in 0, loaded 0 into units.lead batch b (replaced 138)"
	assert_equal "$(sql "SELECT batch_id, row_count, replaced, loads FROM reporting.load_audit ORDER BY 1" | tr '\n' ' ')" \
		"a|138|138|2 b|0|138|2 c|0|0|1 "
}

@test "no password on the command line" {
	run rs-copy --table units.lead --batch 1 --dsn "host=/nowhere password=secret" "$LEAD"
	assert_failure 1
	assert_output --partial "--dsn must not carry a password"
	refute_output --partial "secret"
}

@test "no leaks under valgrind" {
	skip_if_sanitized
	run valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		rs-copy --table units.lead --batch v "$LEAD"
	assert_success
	run valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		rs-copy --table units.lead --batch v --stage s3://b/p --dry-run "$LEAD"
	assert_success
	rm -rf "$(sed -n 's/^# 4 parts and a manifest a load, in //p' <<<"$output")"
	sed '1s/\temail\t/\te_mail\t/' "$LEAD" >"$BATS_TEST_TMPDIR/bad.tsv"
	run valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		rs-copy --table units.lead --batch v "$BATS_TEST_TMPDIR/bad.tsv"
	assert_failure 1
}

@test "several loads in one transaction: all land, or none does" {
	drip="$BATS_FILE_TMPDIR/1101/drip.tsv"
	run --separate-stderr rs-copy --load "units.lead@20261101=$LEAD" --load "units.drip@20261101=$drip"
	assert_success
	assert_equal "$stderr" "rs-copy: rows in 138, loaded 138 into units.lead batch 20261101 (replaced 0)
rs-copy: rows in 33, loaded 33 into units.drip batch 20261101 (replaced 0)"
	before=$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead")
	# The second load fails: the first, already copied in the same transaction, is undone.
	awk -F'\t' -v OFS='\t' 'NR == 5 { $14 = "x" } { print }' "$drip" >"$BATS_TEST_TMPDIR/bad-drip.tsv"
	run rs-copy --load "units.lead@20261101=$LEAD" --load "units.drip@20261101=$BATS_TEST_TMPDIR/bad-drip.tsv"
	assert_failure 1
	assert_line --index 0 'rs-copy: bad-drip.tsv:5: units.drip: invalid input syntax for type numeric: "x"'
	assert_equal "$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead")" "$before"
	assert_equal "$(sql "SELECT COUNT(*) FROM units.drip")" 33
	run rs-copy --load "units.lead=$LEAD"
	assert_failure 2
	assert_line --index 0 "rs-copy: --load takes SCHEMA.TABLE@BATCH=FILE, not 'units.lead=$LEAD'"
}

@test "--load-dir: every stream of a folder into the catalog's table for its file; a file no table has stays" {
	cp "$BATS_FILE_TMPDIR/1101/lead.tsv" "$BATS_FILE_TMPDIR/1101/drip.tsv" "$BATS_TEST_TMPDIR/"
	echo "not a stream of the catalog" >"$BATS_TEST_TMPDIR/notes.tsv"
	run --separate-stderr rs-copy --load-dir "20261101=$BATS_TEST_TMPDIR"
	assert_success
	assert_equal "$stderr" "rs-copy: rows in 138, loaded 138 into units.lead batch 20261101 (replaced 0)
rs-copy: rows in 33, loaded 33 into units.drip batch 20261101 (replaced 0)"
	# A folder and a --load of the same table and batch: loaded twice is refused.
	run rs-copy --load-dir "20261101=$BATS_TEST_TMPDIR" --load "units.lead@20261101=$LEAD"
	assert_failure 2
	assert_line --index 0 "rs-copy: units.lead batch 20261101 is loaded twice"
}

@test "a transaction is once in a unit table: a second batch holding it fails its load, naming the row; nothing changes" {
	rs-copy --table units.lead --batch 20261101 "$LEAD" 2>/dev/null
	run rs-copy --table units.lead --batch 20261102 "$LEAD"
	assert_failure 1
	assert_line --index 0 --regexp '^rs-copy: lead.tsv:2: units.lead: duplicate key value violates unique constraint "lead_transaction_id_once"'
	assert_line --index 1 "rs-copy: rows in 138, loaded 0: units.lead batch 20261102 unchanged"
	assert_equal "$(sql "SELECT batch_id, COUNT(*) FROM units.lead GROUP BY 1")" "20261101|138"
}

@test "a transaction is in one unit table: loaded into one, it leaves the others' same batch; their other rows stay" {
	# The day loaded whole; then new rules send its drips to the lead unit, and lead.tsv alone is loaded again.
	rs-copy --load-dir "20261101=$BATS_FILE_TMPDIR/1101" 2>/dev/null
	{ grep -v '^#end' "$LEAD"; grep -v -e '^#end' -e '^transaction_id' "$BATS_FILE_TMPDIR/1101/drip.tsv"; echo "#end 171"; } \
		>"$BATS_TEST_TMPDIR/lead.tsv"
	run --separate-stderr rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/lead.tsv"
	assert_success
	assert_equal "$(head -1 <<<"$stderr")" "rs-copy: DELETE FROM units.drip USING \"units\".\"lead\" l WHERE drip.batch_id = '20261101' AND l.batch_id = '20261101' AND drip.transaction_id = l.transaction_id: 33 rows deleted: loaded into another table of their stream, whose identity is 'once'"
	assert_equal "$(sql "SELECT unit, COUNT(*), COUNT(DISTINCT transaction_id) FROM reporting.unit_transactions GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" \
		"cpa_cpt|44|44 lead|171|171 lead_call|39|39 warm_transfer|34|34 "
	# The other unit tables' other batches stay as they are.
	renumbered 1 "$BATS_TEST_TMPDIR/other.tsv"
	rs-copy --table units.drip --batch 20261102 "$BATS_TEST_TMPDIR/other.tsv" 2>/dev/null
	rs-copy --table units.lead --batch 20261101 "$LEAD" 2>/dev/null
	assert_equal "$(sql "SELECT unit, batch_id, COUNT(*) FROM reporting.unit_transactions WHERE unit IN ('drip', 'lead') GROUP BY 1, 2 ORDER BY 1" | tr '\n' ' ')" \
		"drip|20261102|138 lead|20261101|138 "
}
