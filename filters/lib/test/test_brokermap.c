#include "brokermaps.h"
#include "capture.h"
#include "check.h"
#include "civil.h"
#include "diag.h"
#include "fixture.h"

static struct brokermap *
load(const char *name, const char *text, enum map_kind kind)
{
	return brokermap_load(write_plain(name, text, strlen(text)), kind);
}

/* The first diagnostic of a broken map, from the file name on. */
static const char *
error_of(const char *text, enum map_kind kind)
{
	struct brokermap *m;
	const char *msg, *name;

	capture_start();
	m = load("broken.map", text, kind);
	msg = capture_end();
	brokermap_free(m);
	if (m != NULL)
		return "(loaded)";
	name = strstr(msg, "broken.map");
	return name ? name : msg;
}

static const char *
utc(struct brokermap *m, const char *s)
{
	static char buf[UTC_BUFSZ];
	int64_t t;

	if (brokermap_time(m, s, strlen(s), &t) < 0)
		return "error";
	format_utc(t, buf);
	return buf;
}

int
main(void)
{
	static const char base[] =
	    "map = dispositions\npartner_id = 7\nkey_type = phone\ntimezone = America/Chicago\n"
	    "date_format = %m/%d/%Y\ncolumn key = Phone\ncolumn status = Status\ncolumn status_at = When + At\n";
	char text[2048];
	struct brokermap *m;

	diag_init("test_brokermap");
	write_plain("common.map", "status \"Callback *\" = callback\nstatus \"Bad #\" = bad_contact # a comment\n", 66);
	snprintf(text, sizeof text, "%sdate_format = %%m/%%d/%%Y %%I:%%M %%p\nstatus \"No  Answer\" = no_contact\ninclude = common.map\n", base);
	m = load("good.map", text, MAP_DISPOSITIONS);
	CHECK(m != NULL);
	CHECK(m->partner_id == 7 && m->key_type == KEY_PHONE && m->nstatuses == 3);
	/* Case and spaces fold; patterns match after the exact lines. */
	CHECK_STR(brokermap_status(m, "  no answer ", 12), "no_contact");
	CHECK_STR(brokermap_status(m, "CALLBACK 11/30", 14), "callback");
	CHECK_STR(brokermap_status(m, "bad #", 5), "bad_contact");
	CHECK(brokermap_status(m, "Callback", 8) == NULL);
	CHECK(brokermap_status(m, "Spanish Speaker", 15) == NULL);
	/* Two source columns joined by a space. */
	struct field hf[] = { { "At", 2 }, { "Phone", 5 }, { "When", 4 }, { "Status", 6 } };
	struct row hdr = { .f = hf, .nf = 4, .line = 1 };
	CHECK(brokermap_bind(m, &hdr, "x.csv") == 0);
	struct field rf[] = { { "1:07 PM", 7 }, { "512", 3 }, { "11/24/2026", 10 }, { "Sold", 4 } };
	struct row row = { .f = rf, .nf = 4, .line = 2 };
	struct field v = brokermap_value(m, &row, "status_at");
	CHECK(v.n == 18 && memcmp(v.p, "11/24/2026 1:07 PM", 18) == 0);
	CHECK_STR(utc(m, "11/24/2026 1:07 PM"), "2026-11-24 19:07:00");
	brokermap_free(m);

	/* A date without a time is noon in the broker's zone. */
	snprintf(text, sizeof text, "%sstatus Sold = sold\n", base);
	m = load("noon.map", text, MAP_DISPOSITIONS);
	CHECK_STR(utc(m, "11/24/2026"), "2026-11-24 18:00:00");
	CHECK_STR(utc(m, " 07/04/2026 "), "2026-07-04 17:00:00");
	CHECK_STR(utc(m, "2026-11-24"), "error");
	/* A header without a mapped column. */
	struct field hf2[] = { { "Phone", 5 }, { "Status", 6 } };
	struct row hdr2 = { .f = hf2, .nf = 2, .line = 1 };
	capture_start();
	CHECK(brokermap_bind(m, &hdr2, "feedback.csv") == -1);
	CHECK(strstr(capture_end(), "noon.map:8: column 'When' (for status_at) is not in the header of feedback.csv") != NULL);
	brokermap_free(m);

	/* latin-1 text becomes UTF-8. */
	snprintf(text, sizeof text, "%sstatus Sold = sold\nencoding = latin-1\n", base);
	m = load("latin.map", text, MAP_DISPOSITIONS);
	struct field t = brokermap_text(m, (struct field){ "M\351dico", 6 });
	CHECK(t.n == 7 && memcmp(t.p, "Médico", 7) == 0);
	brokermap_free(m);

	/* Broken maps: the file and line, and what is wrong. */
	CHECK_STR(error_of("map = sales\nparter_id = 3\n", MAP_SALES), "broken.map:2: unknown key 'parter_id'\n");
	CHECK_STR(error_of("map = sales\n", MAP_DISPOSITIONS),
	    "broken.map:1: this is a sales map; this program reads dispositions maps\n");
	CHECK_STR(error_of("timezone = America/Atlantis\n", MAP_SALES), "broken.map:1: unknown time zone 'America/Atlantis'\n");
	CHECK_STR(error_of("\ndate_format = %m/%d\n", MAP_SALES),
	    "broken.map:2: date_format '%m/%d' is not usable (see README: %Y, %m, %d, %H, %M, %S, %I with %p, %b, excel)\n");
	CHECK_STR(error_of("status Issued = paid\n", MAP_SALES),
	    "broken.map:1: 'paid' is not a status (one of: sold, pending, cancelled)\n");
	CHECK_STR(error_of("column lead = Lead ID\n", MAP_SALES), "broken.map:1: unknown column 'lead' for a sales map\n");
	CHECK_STR(error_of("report = sums\n", MAP_SALES),
	    "broken.map:1: report is ledger (rows add up) or status (the latest row decides), not 'sums'\n");
	CHECK_STR(error_of("partner_id\n", MAP_SALES), "broken.map:1: expected 'key = value'\n");
	CHECK_STR(error_of("status A = sold\nstatus a = cancelled\n", MAP_SALES),
	    "broken.map:2: status 'a' already maps to sold (line 1)\n");
	CHECK(strstr(error_of("delimiter = ;;\n", MAP_SALES), "broken.map:1: delimiter is one character") != NULL);
	/* What a map of its kind must say, all at once. */
	CHECK(strstr(error_of("map = sales\n", MAP_SALES), "broken.map: no partner_id\n") != NULL);
	const char *all = error_of("map = sales\n", MAP_SALES);
	CHECK(strstr(all, "no timezone") && strstr(all, "no date_format") && strstr(all, "no report") &&
	    strstr(all, "no sale_at column") && strstr(all, "no amount column") &&
	    strstr(all, "neither a lead_id nor a phone column"));
	fixture_cleanup();
	return check_done();
}
