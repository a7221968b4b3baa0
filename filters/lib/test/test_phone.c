#include "check.h"
#include "phone.h"

static void
good(const char *s, const char *want)
{
	char out[PHONE_BUFSZ] = "";

	CHECK(phone_e164(s, strlen(s), out) == 0);
	CHECK_STR(out, want);
}

static void
bad(const char *s)
{
	char out[PHONE_BUFSZ];

	if (phone_e164(s, strlen(s), out) == 0)
		fprintf(stderr, "phone_e164(\"%s\") accepted\n", s);
	CHECK(phone_e164(s, strlen(s), out) < 0);
}

int
main(void)
{
	/* Every format F1 and F2 show. */
	good("(512) 555-0199", "+15125550199");
	good("5125550199", "+15125550199");
	good("+1 512-555-0199", "+15125550199");
	good("512.555.0199", "+15125550199");
	good("512-555-0199", "+15125550199");
	good("+15125550199", "+15125550199");
	good("1-866-555-0100", "+18665550100");
	good("15125550199", "+15125550199");
	good(" 512 555 0199", "+15125550199");

	bad("");
	bad("555-0199");		/* no area code */
	bad("(012) 555-0199");		/* area codes start with 2-9 */
	bad("(512) 155-0199");		/* so do exchanges */
	bad("+44 20 7946 0958");	/* not a US number */
	bad("+5125550199");		/* '+' without the country code */
	bad("25125550199");
	bad("512-555-0199 x12");
	bad("512-555-01999");
	bad("n/a");
	bad("512_555_0199");
	bad("++15125550199");
	return check_done();
}
