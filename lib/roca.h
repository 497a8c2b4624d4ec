/*
 * The fingerprint of RSA keys made by Infineon's RSALib (ROCA,
 * CVE-2017-15361): their primes are 65537^a mod M plus a multiple of
 * M, a product of small primes, so the modulus lies, modulo each of
 * those primes, in the subgroup 65537 generates.  A random modulus does
 * so for all of them with probability about 2^-154; such keys can be
 * factored, so a key that shows the fingerprint is not used.
 */
#ifndef ROCA_H
#define ROCA_H

#include <openssl/bn.h>

/* Returns 1 when the modulus n shows the ROCA fingerprint, else 0. */
int	roca_fingerprint(const BIGNUM *n);

#endif /* ROCA_H */
