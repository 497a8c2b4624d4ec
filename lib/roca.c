#include "config.h"

#include <string.h>

#include <openssl/bn.h>

#include "roca.h"

/* The small primes of the RSALib construction's M (for 512 to 4096 bits). */
static const unsigned char primes[] = {
	3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
	71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139,
	149, 151, 157, 163, 167,
};

#define NPRIMES		(sizeof(primes) / sizeof(primes[0]))
#define PRIME_MAX	167
#define GENERATOR	65537UL

/* in_group[i][r]: r is a power of 65537 modulo primes[i]. */
static unsigned char	in_group[NPRIMES][PRIME_MAX + 1];
static int		made;

static void
make_tables(void)
{
	for (size_t i = 0; i < NPRIMES; i++) {
		unsigned long	p = primes[i], x = 1;

		/* The powers cycle back to 1 within p - 1 steps. */
		for (unsigned long k = 0; k < p; k++) {
			in_group[i][x] = 1;
			x = x * (GENERATOR % p) % p;
		}
	}
	made = 1;
}

int
roca_fingerprint(const BIGNUM *n)
{
	BN_ULONG	r;

	if (!made)
		make_tables();
	if (n == NULL || BN_is_zero(n) || BN_is_negative(n))
		return 0;
	for (size_t i = 0; i < NPRIMES; i++) {
		if ((r = BN_mod_word(n, primes[i])) == (BN_ULONG)-1 ||
		    !in_group[i][r])
			return 0;
	}
	return 1;
}
