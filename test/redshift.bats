#!/usr/bin/env bats
# rs-copy's Redshift path: the SQL it runs (--dry-run), and its staging
# against a real S3-compatible server (s3rver) with the real AWS CLI.  No
# Redshift here: the database is PostgreSQL, and nothing is loaded into it.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	pg_setup_file
	split-by-unit --rules "$RULES" -o "$BATS_FILE_TMPDIR/1101" --rejects /dev/null "$DAY1101" 2>/dev/null
}

teardown_file() {
	pg_teardown_file
}

teardown() {
	pg_teardown
	# A failed S3 test must not leave its server running (bats would wait for it).
	[ -z "${S3PID:-}" ] || kill "$S3PID" 2>/dev/null || true
}

setup() {
	pg_setup
	LEAD="$BATS_FILE_TMPDIR/1101/lead.tsv"
}

@test "the Redshift SQL, through --dry-run" {
	run --separate-stderr rs-copy --table units.lead --batch 20261101 --stage s3://lac-stage/nightly/ \
		--iam-role arn:aws:iam::123456789012:role/lac-loader --parts 3 --region us-east-2 --dry-run "$LEAD"
	assert_success
	dir=$(sed -n 's/^# 3 parts and a manifest a load, in //p' <<<"$output")
	# Two uploads a run, whatever the loads: the parts, then the manifests that name them.
	assert_line --index 1 "aws s3 cp --recursive --only-show-errors --exclude '*/manifest.json' --region us-east-2 $dir s3://lac-stage/nightly"
	assert_line --index 2 "aws s3 cp --recursive --only-show-errors --exclude '*' --include '*/manifest.json' --region us-east-2 $dir s3://lac-stage/nightly"
	assert_line "BEGIN;"
	assert_line "DELETE FROM \"units\".\"lead\" WHERE batch_id IN ('20261101');"
	assert_line --regexp "^INSERT INTO lac.loads \(table_name, batch_id, run_id, row_count, replaced, loaded_at\) VALUES \('units.lead', '20261101', 'rs-copy [0-9: -]+ pid [0-9]+', 138, 0, '[0-9: .-]+'\);$"
	assert_line --regexp "^COPY \"units\".\"lead\" \(\"transaction_id\", \"transaction_type\", .*, \"src_line\", \"batch_id\", \"loaded_at\"\) FROM 's3://lac-stage/nightly/units.lead/20261101/manifest.json' IAM_ROLE 'arn:aws:iam::123456789012:role/lac-loader' MANIFEST GZIP DELIMITER '\\\\t' IGNOREHEADER 1 EMPTYASNULL TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' DATEFORMAT 'YYYY-MM-DD' COMPUPDATE OFF STATUPDATE OFF REGION 'us-east-2';$"
	assert_line "COMMIT;"
	refute_output --partial "E'"
	assert_equal "$stderr" "rs-copy: rows in 138, loaded 0 (--dry-run), staged 3 parts (0.0 MB gzip) at s3://lac-stage/nightly/units.lead/20261101"
	assert_equal "$(cd "$dir" && find . -type f | sort | tr '\n' ' ')" \
		"./units.lead/20261101/manifest.json ./units.lead/20261101/part-0000.tsv.gz ./units.lead/20261101/part-0001.tsv.gz ./units.lead/20261101/part-0002.tsv.gz "
	rm -rf "$dir"
	assert_equal "$(sql "SELECT COUNT(*) FROM units.lead")" 0
}

@test "S3 staging: the parts and the manifests arrive, hold exactly the streams, and leave nothing behind" {
	s3rver=$REPO/var/node/node_modules/.bin/s3rver
	[ -x "$s3rver" ] || fail "s3rver is not installed: run make test"
	aws=/usr/bin/aws
	[ -x "$aws" ] || fail "Debian's awscli is not installed: run make test"
	port=$((20000 + RANDOM % 20000))
	mkdir "$BATS_TEST_TMPDIR/s3" "$BATS_TEST_TMPDIR/tmp"
	"$s3rver" -d "$BATS_TEST_TMPDIR/s3" -a 127.0.0.1 -p "$port" --configure-bucket lac-stage --silent >"$BATS_TEST_TMPDIR/s3rver.log" 2>&1 &
	S3PID=$!
	export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_CLI=$aws
	for _ in $(seq 100); do
		(: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	DRIP="$BATS_FILE_TMPDIR/1101/drip.tsv"
	TMPDIR="$BATS_TEST_TMPDIR/tmp" run --separate-stderr rs-copy --stage s3://lac-stage/nightly \
		--endpoint-url "http://127.0.0.1:$port" --parts 3 --stage-only \
		--load "units.lead@20261101=$LEAD" --load "units.drip@20261101=$DRIP" --load "units.drip@20261102=$DRIP"
	assert_success
	assert_line "BEGIN;"
	# The local tree is gone once uploaded.
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ""
	got=$BATS_TEST_TMPDIR/got
	"$aws" --endpoint-url "http://127.0.0.1:$port" s3 cp --recursive --only-show-errors s3://lac-stage/nightly/ "$got/"
	assert_equal "$(cd "$got" && find . -type f | sort | tr '\n' ' ')" \
		"./units.drip/20261101-20261102/manifest.json ./units.drip/20261101-20261102/part-0000.tsv.gz ./units.drip/20261101-20261102/part-0001.tsv.gz ./units.drip/20261101-20261102/part-0002.tsv.gz ./units.lead/20261101/manifest.json ./units.lead/20261101/part-0000.tsv.gz ./units.lead/20261101/part-0001.tsv.gz ./units.lead/20261101/part-0002.tsv.gz "
	# A manifest lists exactly its parts, each with its size.
	prefix=s3://lac-stage/nightly/units.lead/20261101
	run /usr/bin/python3 -c "import json,os,sys; m=json.load(open('$got/units.lead/20261101/manifest.json'))
for e in m['entries']: print(e['url'], e['mandatory'], e['meta']['content_length'] == os.path.getsize('$got/units.lead/20261101/' + e['url'].rsplit('/', 1)[1]))"
	assert_output "$prefix/part-0000.tsv.gz True True
$prefix/part-0001.tsv.gz True True
$prefix/part-0002.tsv.gz True True"
	# Each part has the header; together the data lines are the stream's, plus batch and load time.
	for p in "$got"/units.lead/20261101/part-*.tsv.gz; do
		assert_equal "$(gzip -dc "$p" | head -1)" "$(head -1 "$LEAD")	batch_id	loaded_at"
	done
	assert_equal "$(for p in "$got"/units.lead/20261101/part-*.tsv.gz; do gzip -dc "$p" | tail -n +2; done | cut -s -f1-27 | sort)" \
		"$(tail -n +2 "$LEAD" | cut -s -f1- | sort)"
	assert_equal "$(for p in "$got"/units.lead/20261101/part-*.tsv.gz; do gzip -dc "$p" | tail -n +2; done | cut -s -f28 | sort -u)" 20261101
	# Two batches of one table share the parts: each batch's rows once.
	assert_equal "$(for p in "$got"/units.drip/*/part-*.tsv.gz; do gzip -dc "$p" | tail -n +2; done | cut -s -f28 | sort | uniq -c | awk '{ print $2 ":" $1 }' | tr '\n' ' ')" \
		"20261101:$(rows "$DRIP") 20261102:$(rows "$DRIP") "
	# Nothing was loaded: --stage-only.
	assert_equal "$(sql "SELECT COUNT(*) FROM units.lead")" 0
}
