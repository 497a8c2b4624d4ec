/*
 * The ceiling for a FastCGI authorizer: lets every request through
 * with a fixed user, doing nothing else.  bench/run compiles it with
 * the same compiler and flags as oidc-login and puts it where
 * oidc-login goes, so the difference between the two is the cost of
 * oidc-login's own work (reading and verifying the session).
 *
 * Built as is, it closes each connection as libfcgi does by default:
 * shut down the sending side, then wait for the server to close its
 * own.  Built with -DCLOSE_AT_ONCE it closes as oidc-login does when the
 * server has sent everything, without that wait: the like-for-like
 * ceiling for oidc-login's own work.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <fcgiapp.h>

int
main(void)
{
	static const char	answer[] = "Status: 200 OK\r\n"
	    "Variable-REMOTE_USER: bench\r\n"
	    "Content-Length: 0\r\n\r\n";
	FCGX_Request		request;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&request, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&request) >= 0) {
		FCGX_PutStr(answer, sizeof(answer) - 1, request.out);
#ifdef CLOSE_AT_ONCE
		int	pending = 1;

		if (ioctl(request.ipcFd, FIONREAD, &pending) == 0 &&
		    pending == 0)
			FCGX_Detach(&request);
#endif
		FCGX_Finish_r(&request);
	}
	return 0;
}
