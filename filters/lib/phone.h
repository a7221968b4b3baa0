/* US phone numbers, as typed in forms and exports, to E.164. */
#ifndef PHONE_H
#define PHONE_H

#include <stddef.h>

#define PHONE_BUFSZ 13		/* "+15125550199" and NUL */

/*
 * "(512) 555-0199", "5125550199", "+1 512-555-0199", "512.555.0199",
 * "1-512-555-0199", "+15125550199" -> "+15125550199".  Only digits, spaces,
 * parentheses, dashes, dots and one leading '+' may appear; the number must
 * be a valid NANP number (area code and exchange start with 2-9).  An
 * extension, letters, or any other country is rejected: 0, or -1.
 */
int phone_e164(const char *s, size_t n, char out[PHONE_BUFSZ]);

#endif
