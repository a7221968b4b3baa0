#include <string.h>
#include <strings.h>

#include "civil.h"

/* Howard Hinnant's algorithms: proleptic Gregorian, exact for any year. */
int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

int64_t
civil_seconds(const struct civil *c)
{
	return days_from_civil(c->y, c->mo, c->d) * 86400 + c->h * 3600 + c->mi * 60 + c->s;
}

void
civil_from_seconds(int64_t t, struct civil *c)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sec = t - days * 86400;

	memset(c, 0, sizeof *c);
	civil_from_days(days, &c->y, &c->mo, &c->d);
	c->h = sec / 3600;
	c->mi = sec / 60 % 60;
	c->s = sec % 60;
	c->has_time = 1;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Up to max digits, at least min; -1 when there are fewer. */
static int
digits(const char **p, const char *end, int min, int max)
{
	int v = 0, k = 0;

	while (*p < end && k < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k < min ? -1 : v;
}

static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static int
month_name(const char **p, const char *end)
{
	for (int i = 0; i < 12; i++) {
		size_t full = strlen(month_names[i]);

		if ((size_t)(end - *p) >= full && strncasecmp(*p, month_names[i], full) == 0) {
			*p += full;
			return i + 1;
		}
	}
	for (int i = 0; i < 12; i++)
		if (end - *p >= 3 && strncasecmp(*p, month_names[i], 3) == 0) {
			*p += 3;
			if (*p < end && **p == '.')
				(*p)++;
			return i + 1;
		}
	return -1;
}

static int
offset_field(const char **p, const char *end, int *off)
{
	int sign, hh, mm;

	if (*p < end && (**p == 'Z' || **p == 'z')) {
		(*p)++;
		*off = 0;
		return 0;
	}
	if (*p >= end || (**p != '+' && **p != '-'))
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if ((hh = digits(p, end, 2, 2)) < 0)
		return -1;
	if (*p < end && **p == ':')
		(*p)++;
	if ((mm = digits(p, end, 2, 2)) < 0 || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* Excel's serial days: 1 = 1900-01-01, with Lotus's phantom 1900-02-29 as 60. */
static int
excel_serial(const char *p, const char *end, struct civil *c)
{
	int64_t days = 0, frac = 0, scale = 1;
	int nd = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++, nd++)
		if (nd < 7)
			days = days * 10 + (*p - '0');
	if (nd == 0 || nd > 6 || days == 60 || days < 1)
		return -1;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			if (scale < 1000000000)
				frac = frac * 10 + (*p - '0'), scale *= 10;
	if (p != end)
		return -1;
	int64_t base = days < 60 ? days_from_civil(1899, 12, 31) : days_from_civil(1899, 12, 30);
	int64_t secs = (frac * 86400 + scale / 2) / scale;
	civil_from_seconds((base + days) * 86400 + secs, c);
	c->has_time = scale > 1;
	return 0;
}

/* An integer count of 1/div seconds to seconds, floored (-1 ms is 1969-12-31 23:59:59). */
static int
epoch_seconds(const char *p, const char *end, int64_t div, int64_t *seconds)
{
	int64_t v = 0;
	int neg = 0, nd = 0;

	if (p < end && *p == '-')
		neg = 1, p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		if (++nd > 16)
			return -1;
		else
			v = v * 10 + (*p - '0');
	if (nd == 0 || p != end)
		return -1;
	if (neg)
		v = -v;
	*seconds = v >= 0 ? v / div : -((-v + div - 1) / div);
	return 0;
}

int
parse_epoch_ms(const char *s, size_t n, int64_t *seconds)
{
	return epoch_seconds(s, s + n, 1000, seconds);
}

static int
epoch(const char *p, const char *end, int64_t div, struct civil *c)
{
	int64_t v;

	if (epoch_seconds(p, end, div, &v) < 0)
		return -1;
	civil_from_seconds(v, c);
	c->has_offset = 1;
	c->offset = 0;
	return 0;
}

/* "YYYY-MM-DD HH:MM:SS", the form of every boberdoo time: digits checked, fields read. */
static int
iso_fixed(const char *s, struct civil *c)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";

	for (int i = 0; i < 19; i++)
		if (shape[i] == 'd' ? (unsigned)(s[i] - '0') > 9 : s[i] != shape[i])
			return -1;
#define D2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
	c->y = D2(0) * 100 + D2(2);
	c->mo = D2(5);
	c->d = D2(8);
	c->h = D2(11);
	c->mi = D2(14);
	c->s = D2(17);
#undef D2
	c->has_time = 1;
	return 0;
}

static int
civil_valid(const struct civil *c)
{
	return c->y >= 1 && c->mo >= 1 && c->mo <= 12 && c->d >= 1 &&
	    c->d <= days_in_month(c->y, c->mo) && c->h <= 23 && c->mi <= 59 && c->s <= 59;
}

int
civil_parse(const char *fmt, const char *s, size_t n, struct civil *out)
{
	const char *p = s, *end = s + n;
	struct civil c = { .y = -1, .mo = 1, .d = 1 };
	int hour12 = -1, pm = -1;

	if (n == 19 && strcmp(fmt, "%Y-%m-%d %H:%M:%S") == 0) {
		if (iso_fixed(s, &c) < 0 || !civil_valid(&c))
			return -1;
		*out = c;
		return 0;
	}

	if (strcmp(fmt, "excel") == 0)
		return excel_serial(s, end, out);
	if (strcmp(fmt, "epoch") == 0)
		return epoch(s, end, 1, out);
	if (strcmp(fmt, "epoch_ms") == 0)
		return epoch(s, end, 1000, out);

	for (; *fmt; fmt++) {
		if (*fmt == ' ') {
			if (p >= end || *p != ' ')
				return -1;
			while (p < end && *p == ' ')
				p++;
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%')
				fmt++;
			if (p >= end || *p != *fmt)
				return -1;
			p++;
			continue;
		}
		switch (*++fmt) {
		case 'Y': c.y = digits(&p, end, 4, 4); if (c.y < 0) return -1; break;
		case 'm': if ((c.mo = digits(&p, end, 1, 2)) < 0) return -1; break;
		case 'd': if ((c.d = digits(&p, end, 1, 2)) < 0) return -1; break;
		case 'H': if ((c.h = digits(&p, end, 1, 2)) < 0) return -1; c.has_time = 1; break;
		case 'I': if ((hour12 = digits(&p, end, 1, 2)) < 0) return -1; c.has_time = 1; break;
		case 'M': if ((c.mi = digits(&p, end, 1, 2)) < 0) return -1; c.has_time = 1; break;
		case 'S': if ((c.s = digits(&p, end, 1, 2)) < 0) return -1; break;
		case 'b': if ((c.mo = month_name(&p, end)) < 0) return -1; break;
		case 'p':
			if (end - p >= 2 && strncasecmp(p, "AM", 2) == 0)
				pm = 0;
			else if (end - p >= 2 && strncasecmp(p, "PM", 2) == 0)
				pm = 1;
			else
				return -1;
			p += 2;
			break;
		case 'z':
			if (offset_field(&p, end, &c.offset) < 0)
				return -1;
			c.has_offset = 1;
			break;
		default:
			return -1;
		}
	}
	if (p != end)
		return -1;
	if (hour12 >= 0) {
		if (hour12 < 1 || hour12 > 12 || pm < 0)
			return -1;
		c.h = hour12 % 12 + (pm ? 12 : 0);
	}
	if (!civil_valid(&c))
		return -1;
	*out = c;
	return 0;
}

int
civil_format_valid(const char *fmt)
{
	int has_year = 0, has_pm = 0, has_i = 0;

	if (!strcmp(fmt, "excel") || !strcmp(fmt, "epoch") || !strcmp(fmt, "epoch_ms"))
		return 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%')
			continue;
		switch (*++fmt) {
		case 'Y': has_year = 1; break;
		case 'I': has_i = 1; break;
		case 'p': has_pm = 1; break;
		case 'm': case 'd': case 'H': case 'M': case 'S': case 'b': case 'z': case '%':
			break;
		default:
			return -1;
		}
	}
	return has_year && has_i == has_pm ? 0 : -1;
}

static void
put2(char *p, int v)
{
	p[0] = '0' + v / 10;
	p[1] = '0' + v % 10;
}

size_t
format_date(int64_t t, char buf[UTC_BUFSZ])
{
	/* Streams come mostly in time order: the date of the last day is kept. */
	static int64_t last_day = INT64_MIN;
	static char last[11];
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);

	if (day != last_day) {
		int y, m, d;

		civil_from_days(day, &y, &m, &d);
		put2(last, y / 100);
		put2(last + 2, y % 100);
		last[4] = '-';
		put2(last + 5, m);
		last[7] = '-';
		put2(last + 8, d);
		last_day = day;
	}
	memcpy(buf, last, 10);
	buf[10] = '\0';
	return 10;
}

int
parse_utc(const char *s, size_t n, int64_t *t)
{
	struct civil c;

	if (civil_parse("%Y-%m-%d %H:%M:%S", s, n, &c) < 0)
		return -1;
	*t = civil_seconds(&c);
	return 0;
}

size_t
format_utc(int64_t t, char buf[UTC_BUFSZ])
{
	int64_t sec = t % 86400;

	if (sec < 0)
		sec += 86400;
	format_date(t, buf);
	buf[10] = ' ';
	put2(buf + 11, (int)(sec / 3600));
	buf[13] = ':';
	put2(buf + 14, (int)(sec / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (int)(sec % 60));
	buf[19] = '\0';
	return 19;
}
