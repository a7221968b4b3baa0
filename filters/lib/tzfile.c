#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "diag.h"
#include "tzfile.h"

#define TZFILE_MAX (1 << 20)	/* the largest zone file is a few kilobytes */

/* A rule's day: Jn (1-365, no Feb 29), n (0-365), or Mm.w.d (week w of month m, weekday d, 0 Sunday). */
struct rule_day {
	char kind;		/* 'J', 'n' or 'M' */
	int n, m, w, d;
	int time;		/* seconds after local midnight, in the offset then in force */
};

/* The POSIX TZ string of the footer: "EST5EDT,M3.2.0,M11.1.0". */
struct posix_rule {
	int std, dst;		/* seconds east of UTC */
	int has_dst;
	struct rule_day start, end;
};

struct tzfile {
	int64_t *times;		/* transitions, ascending */
	unsigned char *type_of;	/* the local time type each begins */
	int *offsets;		/* by type: seconds east */
	size_t ntimes, ntypes;
	int has_rule;
	struct posix_rule rule;
};

static int64_t
be(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return bytes == 4 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

/* [+-]hh[:mm[:ss]]; the seconds it says, *s past it; -1 when it is not one. */
static int
hms(const char **s, long *out)
{
	const char *p = *s;
	long sign = 1, part[3] = { 0, 0, 0 };
	int k = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (;;) {
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9' && part[k] < 1000)
			part[k] = part[k] * 10 + (*p++ - '0');
		if (*p != ':' || k == 2)
			break;
		p++, k++;
	}
	if (part[0] > 167 || part[1] > 59 || part[2] > 59)
		return -1;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*s = p;
	return 0;
}

/* A zone's name: letters, or anything between < and >. */
static int
zone_name(const char **s)
{
	const char *p = *s;

	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		if (*p++ != '>')
			return -1;
	} else
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
	if (p - *s < 3)
		return -1;
	*s = p;
	return 0;
}

static int
rule_day(const char **s, struct rule_day *r)
{
	const char *p = *s;
	char *end;
	long v;

	memset(r, 0, sizeof *r);
	r->time = 2 * 3600;
	if (*p == 'M') {
		r->kind = 'M';
		r->m = (int)strtol(p + 1, &end, 10);
		if (*end != '.' || r->m < 1 || r->m > 12)
			return -1;
		r->w = (int)strtol(end + 1, &end, 10);
		if (*end != '.' || r->w < 1 || r->w > 5)
			return -1;
		r->d = (int)strtol(end + 1, &end, 10);
		if (r->d < 0 || r->d > 6)
			return -1;
	} else {
		r->kind = *p == 'J' ? 'J' : 'n';
		if (*p == 'J')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		r->n = (int)strtol(p, &end, 10);
		if (r->n > 365 || (r->kind == 'J' && r->n < 1))
			return -1;
	}
	p = end;
	if (*p == '/') {
		p++;
		if (hms(&p, &v) < 0)
			return -1;
		r->time = (int)v;
	}
	*s = p;
	return 0;
}

static int
parse_rule(const char *s, struct posix_rule *r)
{
	long v;

	memset(r, 0, sizeof *r);
	if (zone_name(&s) < 0 || hms(&s, &v) < 0)
		return -1;
	r->std = (int)-v;	/* POSIX counts west */
	if (*s == '\0')
		return 0;
	if (zone_name(&s) < 0)
		return -1;
	r->has_dst = 1;
	r->dst = r->std + 3600;
	if (*s != ',' && *s != '\0') {
		if (hms(&s, &v) < 0)
			return -1;
		r->dst = (int)-v;
	}
	if (*s == '\0')	/* POSIX leaves the dates to the system: glibc takes the US rules */
		s = ",M3.2.0,M11.1.0";
	if (*s++ != ',' || rule_day(&s, &r->start) < 0 || *s++ != ',' || rule_day(&s, &r->end) < 0 || *s != '\0')
		return -1;
	return 0;
}

/* The UTC instant a rule's day and time fall on in a year, read at a local offset. */
static int64_t
rule_instant(const struct rule_day *r, int year, int offset)
{
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int64_t day;

	if (r->kind == 'J')
		day = days_from_civil(year, 1, 1) + r->n - 1 + (leap && r->n >= 60);
	else if (r->kind == 'n')
		day = days_from_civil(year, 1, 1) + r->n;
	else {
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int64_t first = days_from_civil(year, r->m, 1);
		int weekday = (int)(((first + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday; 0 is Sunday */
		int d = 1 + (r->d - weekday + 7) % 7 + (r->w - 1) * 7;
		int last = mdays[r->m - 1] + (r->m == 2 && leap);

		while (d > last)
			d -= 7;
		day = first + d - 1;
	}
	return day * 86400 + r->time - offset;
}

static int
rule_offset(const struct posix_rule *r, int64_t utc)
{
	int y, m, d;
	int64_t start, end;

	if (!r->has_dst)
		return r->std;
	civil_from_days((utc + r->std) >= 0 ? (utc + r->std) / 86400 : -((-(utc + r->std) + 86399) / 86400), &y, &m, &d);
	start = rule_instant(&r->start, y, r->std);
	end = rule_instant(&r->end, y, r->dst);
	if (start < end)	/* the northern way: summer inside the year */
		return utc >= start && utc < end ? r->dst : r->std;
	return utc >= end && utc < start ? r->std : r->dst;
}

int
tzfile_offset(const struct tzfile *z, int64_t utc)
{
	size_t lo = 0, hi = z->ntimes;

	if (z->ntimes == 0 || utc < z->times[0])
		return z->ntimes == 0 && z->has_rule ? rule_offset(&z->rule, utc) : z->offsets[0];
	if (utc > z->times[z->ntimes - 1] && z->has_rule)	/* after the data: the footer's rule */
		return rule_offset(&z->rule, utc);
	while (hi - lo > 1) {	/* the last transition at or before utc */
		size_t mid = lo + (hi - lo) / 2;

		if (z->times[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return z->offsets[z->type_of[lo]];
}

/* The zone in buf[0..n): 0, or -1 when it is not a zone file. */
static int
parse(struct tzfile *z, const unsigned char *buf, size_t n)
{
	const unsigned char *p = buf, *end = buf + n;
	size_t cnt[6];
	int bytes = 4;

	if (n < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		if (end - p < 44 || memcmp(p, "TZif", 4) != 0)
			return -1;
		int version = p[4];
		for (int i = 0; i < 6; i++)
			cnt[i] = (size_t)be(p + 20 + 4 * i, 4) & 0xffffffff;
		/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
		size_t size = cnt[3] * bytes + cnt[3] + cnt[4] * 6 + cnt[5] + cnt[2] * (bytes + 4) + cnt[1] + cnt[0];
		if (cnt[3] > TZFILE_MAX || cnt[4] == 0 || cnt[4] > 256 || cnt[5] > TZFILE_MAX || cnt[2] > TZFILE_MAX ||
		    (size_t)(end - p - 44) < size)
			return -1;
		if (pass == 0 && version >= '2') {	/* the 64-bit data follows the 32-bit */
			p += 44 + size;
			bytes = 8;
			continue;
		}
		p += 44;
		z->ntimes = cnt[3];
		z->ntypes = cnt[4];
		z->times = xmalloc((z->ntimes + 1) * sizeof *z->times);
		z->type_of = xmalloc(z->ntimes + 1);
		z->offsets = xmalloc(z->ntypes * sizeof *z->offsets);
		for (size_t i = 0; i < z->ntimes; i++)
			z->times[i] = be(p + i * bytes, bytes);
		p += z->ntimes * bytes;
		for (size_t i = 0; i < z->ntimes; i++)
			if ((z->type_of[i] = p[i]) >= z->ntypes)
				return -1;
		p += z->ntimes;
		for (size_t i = 0; i < z->ntypes; i++)
			z->offsets[i] = (int)be(p + 6 * i, 4);
		p += size - z->ntimes * bytes - z->ntimes;
		break;
	}
	/* The footer of version 2 and later: "\nTZ-STRING\n". */
	if (bytes == 8 && end - p >= 2 && *p == '\n') {
		const unsigned char *nl = memchr(p + 1, '\n', end - p - 1);
		char rule[256];

		if (nl == NULL || nl - p - 1 >= (long)sizeof rule)
			return -1;
		memcpy(rule, p + 1, nl - p - 1);
		rule[nl - p - 1] = '\0';
		if (rule[0] != '\0') {
			if (parse_rule(rule, &z->rule) < 0)
				return -1;
			z->has_rule = 1;
		}
	}
	return 0;
}

struct tzfile *
tzfile_read(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	struct tzfile *z;
	size_t n;

	if (fp == NULL)
		return NULL;
	buf = xmalloc(TZFILE_MAX);
	n = fread(buf, 1, TZFILE_MAX, fp);
	fclose(fp);
	z = xmalloc(sizeof *z);
	memset(z, 0, sizeof *z);
	if (parse(z, buf, n) < 0) {
		tzfile_free(z);
		z = NULL;
	}
	free(buf);
	return z;
}

void
tzfile_free(struct tzfile *z)
{
	if (z == NULL)
		return;
	free(z->times);
	free(z->type_of);
	free(z->offsets);
	free(z);
}
