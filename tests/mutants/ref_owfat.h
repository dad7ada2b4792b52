/* SPDX-License-Identifier: MIT */
/*
 * For mutants that wrap the reference libowfat API: lib/owfat.c compiled
 * in with its public names moved aside (ref_fastopen_connect4/6,
 * ref_connected), so the mutant defines the exported
 * socket_fastopen_connect4/6 and socket_connected itself, one of them
 * with a clause broken.
 */
#ifndef TFOCHECK_MUTANT_REF_OWFAT_H
#define TFOCHECK_MUTANT_REF_OWFAT_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define socket_fastopen_connect4 ref_fastopen_connect4
#define socket_fastopen_connect6 ref_fastopen_connect6
#define socket_connected ref_connected
#include "lib/tfo_common.c"
#include "lib/owfat.c"
#undef socket_fastopen_connect4
#undef socket_fastopen_connect6
#undef socket_connected

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len);
ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len);
int socket_connected(int s);

#endif
