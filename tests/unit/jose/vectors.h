/*
 * Published JOSE test vectors: RFC 7517 appendix A.1 (public keys),
 * RFC 7515 appendices A.2 (RS256) and A.3 (ES256), RFC 8037 A.2 and
 * A.4 (Ed25519).  Macros, so a test uses only the ones it needs.
 */
#ifndef JOSE_VECTORS_H
#define JOSE_VECTORS_H

/* RFC 7517 A.1: the EC key is for encryption ("use":"enc"). */
#define RFC7517_A1_EC_X		"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4"
#define RFC7517_A1_EC_Y		"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"
#define RFC7517_A1_EC							\
	"{\"kty\":\"EC\",\"crv\":\"P-256\","				\
	"\"x\":\"" RFC7517_A1_EC_X "\",\"y\":\"" RFC7517_A1_EC_Y "\","	\
	"\"use\":\"enc\",\"kid\":\"1\"}"

#define RFC7517_A1_RSA_N						\
	"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtV"	\
	"T86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ"	\
	"_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2Qvz"	\
	"qY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbI"	\
	"SD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBni"	\
	"Iqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
#define RFC7517_A1_RSA							\
	"{\"kty\":\"RSA\",\"n\":\"" RFC7517_A1_RSA_N "\","		\
	"\"e\":\"AQAB\",\"alg\":\"RS256\",\"kid\":\"2011-04-29\"}"

#define RFC7517_A1_JWKS							\
	"{\"keys\":[" RFC7517_A1_EC "," RFC7517_A1_RSA "]}"

/* RFC 7515 A.2: RS256; the JWK as published, private members included. */
#define RFC7515_A2_RSA_N						\
	"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"	\
	"HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs"	\
	"D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH"	\
	"SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV"	\
	"MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8"	\
	"NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
#define RFC7515_A2_RSA_D						\
	"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97I"	\
	"jlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0"	\
	"BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn"	\
	"439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYT"	\
	"CBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLh"	\
	"BOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"
#define RFC7515_A2_JWKS							\
	"{\"keys\":[{\"kty\":\"RSA\",\"n\":\"" RFC7515_A2_RSA_N "\","	\
	"\"e\":\"AQAB\",\"d\":\"" RFC7515_A2_RSA_D "\"}]}"

/* The payload both RFC 7515 examples sign (with CR LF inside). */
#define RFC7515_PAYLOAD							\
	"eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" \
	"cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

#define RFC7515_A2_JWS							\
	"eyJhbGciOiJSUzI1NiJ9." RFC7515_PAYLOAD "."			\
	"cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7" \
	"AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4" \
	"BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K" \
	"0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv" \
	"hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB" \
	"p0igcN_IoypGlUPQGe77Rw"

/* RFC 7515 A.3: ES256; the JWK's private "d" is left out. */
#define RFC7515_A3_JWKS							\
	"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","			\
	"\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","	\
	"\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}"

#define RFC7515_A3_JWS							\
	"eyJhbGciOiJFUzI1NiJ9." RFC7515_PAYLOAD "."			\
	"DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA" \
	"pmWQxfKTUJqPP3-Kg6NU1Q"

/* RFC 8037 A.2: an Ed25519 public key. */
#define RFC8037_A2_X		"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC8037_A2_OKP							\
	"{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_A2_X "\"}"

/* RFC 8037 A.4: its signature over a payload that is not JSON. */
#define RFC8037_A4_SIGNING_INPUT					\
	"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
#define RFC8037_A4_SIG							\
	"hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5B" \
	"hVsPt9g7sVvpAr_MuM0KAg"

#endif /* JOSE_VECTORS_H */
