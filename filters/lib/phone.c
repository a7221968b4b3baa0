#include "phone.h"

int
phone_e164(const char *s, size_t n, char out[PHONE_BUFSZ])
{
	char d[11];
	size_t nd = 0, i = 0;
	int plus = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '+') {
		plus = 1;
		i++;
	}
	for (; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			if (nd == sizeof d)
				return -1;
			d[nd++] = c;
		} else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.')
			return -1;
	}
	const char *nanp = d;
	if (nd == 11 && d[0] == '1')
		nanp = d + 1;
	else if (nd != 10 || plus)	/* "+" must be followed by the country code 1 */
		return -1;
	if (nanp[0] < '2' || nanp[3] < '2')
		return -1;
	out[0] = '+';
	out[1] = '1';
	for (int k = 0; k < 10; k++)
		out[2 + k] = nanp[k];
	out[12] = '\0';
	return 0;
}
