// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): binds an unbound socket to the fixed port 4242 instead of
 * an ephemeral one ("as if bound to :: port 0").  Caught by
 * owfat.unbound_ephemeral_port.
 */
#include "tests/mutants/ref_owfat.h"

static void mut_bind(int s)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl = sizeof(ss);

	if (getsockname(s, (struct sockaddr *)&ss, &sl))
		return;
	if (ss.ss_family == AF_INET &&
	    !((struct sockaddr_in *)&ss)->sin_port) {
		((struct sockaddr_in *)&ss)->sin_port = htons(4242);
		bind(s, (struct sockaddr *)&ss, sizeof(struct sockaddr_in));
	} else if (ss.ss_family == AF_INET6 &&
		   !((struct sockaddr_in6 *)&ss)->sin6_port) {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(4242);
		bind(s, (struct sockaddr *)&ss, sizeof(struct sockaddr_in6));
	}
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	mut_bind(s);
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	mut_bind(s);
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
