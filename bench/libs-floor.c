/*
 * The memory floor of any program built on oidc-login's five libraries:
 * prints its VmRSS (KiB) when main starts, that is the libraries mapped
 * and relocated, and again after it has touched each of them once as
 * oidc-login does at start-up (libcurl's global init and one handle, a
 * digest through OpenSSL's default provider, a JSON parse, an INI parse).
 * bench/run compiles it with the same compiler and flags as oidc-login.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <fcgiapp.h>
#include <ini.h>
#include <json-c/json.h>
#include <openssl/evp.h>

static long
vmrss_kib(void)
{
	char	 line[256];
	long	 kib = -1;
	FILE	*f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0 &&
		    sscanf(line + 6, "%ld", &kib) != 1)
			kib = -1;
	fclose(f);
	return kib;
}

static int
ini_ignore(void *arg, const char *section, const char *name,
    const char *value)
{
	(void)arg; (void)section; (void)name; (void)value;
	return 1;
}

int
main(void)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	long		 at_main = vmrss_kib();
	json_object	*o;
	CURL		*c;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c = curl_easy_init()) == NULL ||
	    EVP_Digest("x", 1, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    (o = json_tokener_parse("{\"a\":1}")) == NULL ||
	    ini_parse_string("[a]\nb = c\n", ini_ignore, NULL) != 0)
		return 1;
	(void)FCGX_IsCGI();
	printf("%ld %ld\n", at_main, vmrss_kib());
	json_object_put(o);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return 0;
}
