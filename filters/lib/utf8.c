#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Length of the well-formed sequence at s, or 0. */
static int
sequence(const unsigned char *s, const unsigned char *end)
{
	unsigned c = *s, cp, min;
	int len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (end - s < len)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t
utf8_repair(const char *p, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + n;
	size_t k = 0;

	while (s < end) {
		int len = sequence(s, end);

		if (len == 0 || *s == '\0') {
			memcpy(out + k, "\357\277\275", 3);
			k += 3;
			s++;
			continue;
		}
		memcpy(out + k, s, len);
		k += len;
		s += len;
	}
	return k;
}

int
utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + n;

	while (s < end) {
		/* ASCII runs, eight bytes at a time. */
		while (end - s >= 8) {
			uint64_t v;

			memcpy(&v, s, 8);
			if (v & 0x8080808080808080ULL)
				break;
			s += 8;
		}
		if (s == end)
			break;
		int len = sequence(s, end);

		if (len == 0)
			return 0;
		s += len;
	}
	return 1;
}

size_t
latin1_to_utf8(const char *p, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c < 0x80)
			out[k++] = c;
		else {
			out[k++] = 0xc0 | c >> 6;
			out[k++] = 0x80 | (c & 0x3f);
		}
	}
	return k;
}
