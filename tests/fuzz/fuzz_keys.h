/*
 * Private keys for the fuzz seed generator only: they sign the
 * committed seed tokens, whose public halves are FUZZ_JWKS in fuzz.h.
 * Made once with "openssl genpkey"; they protect nothing.
 */
#ifndef FUZZ_KEYS_H
#define FUZZ_KEYS_H

#define FUZZ_PEM_RSA \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCzkKM0Cx1hJleu\n" \
	"pon47kP+y5tpCVEA/mDrqv2WXwzf0CZB2UvxSah9GYSTH4oeQ6LFnnI07oJuINT0\n" \
	"vPUyOJ9QlJXsNGWtghYQ3qSKGFGok0Rv62SvLyAc+5WQRvgIwueMkaLJgJIPqu0V\n" \
	"ovaS92ZW8JiIs458tvO/YHzjNFXlx14oKw7Nk2dFTZwbyovHY3xN6b2qBZnKVOFT\n" \
	"4LZQNXvL16XuwiiaBzwwMxyMZfyAOrk9E/8Kb6p8hwDKQNFDPsR/ay/rLrQms4NE\n" \
	"3XRz1ndfRmZ3Jc29gDwn6WGAVM5ioTQMvOQjc0yZhR0b+WPkAPKyBLWIjQbqrwHV\n" \
	"tOLxM0l1AgMBAAECggEAJ6lVWvvvf9NTv6haRkj+bMt1JrSflzwYlUU94NZaxh64\n" \
	"LIg9/WwbEpKt1T88pyWiUMsIB8f8uC15TBtmfzLBga9oE/WY1cOrcwtyRWxMsRLi\n" \
	"JWRVZ1pd2fj51pXOWEUQltxeG+rRmDNVTZeipeCOUrquvlcGrGZOnWFHBHo9VNSe\n" \
	"4y1EmZQ6+LuL4/V/qH5QlNKwhLbtHdxI7x1GebpF38Agzkv/DXFp5FEXEdC2fC11\n" \
	"eNqX2tdF3BQyLLsQzttiKVi8KMJCdvWzHqNv5h4VcVSFBqJDfW9Uw6uzTDquozXb\n" \
	"VvFcNN3bgveeyTEKcVNWxVxNeUUBFmrsC6qtzE8v4QKBgQDoTcaYDLnAlFyGlzT8\n" \
	"lU4wne8uQcciVSjjjpMPUbyufzmBh0w/msexL1tQvieYl4G3ORSGGw2Sf/Adkm/I\n" \
	"yxlF/jSiofJHuVAHPo65eE7ItkWFDJGQFm1lzKhhfE2s7Cr0kT+f2wuLA3WcB619\n" \
	"ACsEdvAeQrefhZkJkzVExxbWJQKBgQDF4a0J17YM27+Cu1tWjPDNHPC/bsMN8Y+4\n" \
	"j+HFm1e/LWdRSkZgGR8+gKTx21EaxkOsefA7qFTKfk7sL4bewGwBD4JFNfOwlyhl\n" \
	"tX6jeCOjCKUWu+qV/qu63XFsG6fK/lqdPAFaj96Vj/T2m8+wRaWPbTCSVBsYKIp2\n" \
	"PNgbCfN9EQKBgF4oyEpxPgl1GVvkhjGrQxopqf0R5GliI0S5UZpwAw6nuuNpt9pA\n" \
	"HpkPHPBJYztSjd16YXtKE+JBwU37QRweVowsUaFqCw5PasTE8ozy2tw4JU2cnpPM\n" \
	"w2Lz5Xw+Ki3hPDgNd8CPxMoACPfJlOSJ4OXaX9GkMVGTkUh0Rq8uE2+RAoGAI6G8\n" \
	"f+442N3lAUxtaQtd/QE+FKqEMwmRYKF//Q444bLyTL/8Jie/6YhOq0Jbu1+CJhea\n" \
	"+5MXGZNe8MaqGYg6qoI5ae8KH31Ih/ADiroCaMQQviQ+XJ4MHEzttJLSRwpAFNoO\n" \
	"QFlxsirG6HUsE8imxEncGi1M56+9JwdTvqKvFpECgYB/LY5F7AbGh+jUP42wRUJc\n" \
	"8o0HupV+DxbL8JltTehQ3b7bjDKcuNb11+/7HO4HBhYisgnhFiOC+bilzFanGFB8\n" \
	"o9CdiU13gQXwHjHf3xjVnL8vJjWD9QXKu2Mib1muEssgdyRdrUsR3jB51YMAeDXC\n" \
	"WqdcdoiYbQH2g4VK8ODi+g==\n" \
	"-----END PRIVATE KEY-----\n"

#define FUZZ_PEM_P256 \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgyCBSEwc5JKPtG/97\n" \
	"1LeHYon/oiezIcHhsV5efrS0xG6hRANCAATGYB7WOqd4aTmtL3cPKybOQHIGvgt/\n" \
	"1hkPfYqSXUD9WEWjZLB/Fm78dNC8kEyXvhOGTjUcYrVhkm7OctkX6jyp\n" \
	"-----END PRIVATE KEY-----\n"

#define FUZZ_PEM_P384 \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDF5w/OZWc72qgjqaGG\n" \
	"tMp6yGkGwFo/d3A7Pf/hZLITAgUTZEwgWgBZkl7r+J1n2IihZANiAARZaf/+fUVb\n" \
	"mEu3B685rlQi5YQrT+hhYTW3eJAuj0JOXiRSvf/xBmqZHDpPZRY/5bd8kfghMZ0r\n" \
	"8JJ9xPnml8uvSh5A3wJiYFG5KytNZ9BeMGlaLceTsC8JkI0f6tn0JfY=\n" \
	"-----END PRIVATE KEY-----\n"

#define FUZZ_PEM_P521 \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAh+KRv7KfYA1yhBx2\n" \
	"JeVztzrfgDrXIUk8rga8+Hw9Vwwt1WHW3k9w2x6wXdcXSBqC7htTrPzta1HJqXiK\n" \
	"lSgCQSqhgYkDgYYABACxZOgxphuvjtelzCc1txvRvmYdG6BtISp9WM7Bu3Xd2U1R\n" \
	"8WgKQ77Gmalp8o2nftJTX6lvjhZDl0s+JLYJi7SgcQEPBf5H+ksHA2PoZL+4yhOO\n" \
	"qgmS0OSqYrifHSYmYdfJpbR1EUDxZjY4e1ENKT2rxukejU8kX2PJbJmv9/jjiQvN\n" \
	"FA==\n" \
	"-----END PRIVATE KEY-----\n"

#define FUZZ_PEM_ED25519 \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MC4CAQAwBQYDK2VwBCIEIARbrYSkVHEI5t9uefLcgejnbZuEP8+lS6Ae9ovzi5tZ\n" \
	"-----END PRIVATE KEY-----\n"

#define FUZZ_PEM_ED448 \
	"-----BEGIN PRIVATE KEY-----\n" \
	"MEcCAQAwBQYDK2VxBDsEOc/sVDhUekchdTDtQSQcM6a2iaZPKjWFKBincZyOP8cA\n" \
	"kuLDArFM91l2pTGEPzujL1tAJbbfw1fIcw==\n" \
	"-----END PRIVATE KEY-----\n"

#endif /* FUZZ_KEYS_H */
